"""Bad input never breaks a page. Random, missing, repeated, oversized and non-UTF-8 fields
posted to every checker step, odd searches, and tampered or replayed checker state all get
a helpful page (our layout, a heading, a way on), never a server error.

The checker's steps are found by following its HTML contract, not by knowing its URLs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from django.http import HttpResponse
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness import wizard
from harness.wizard import as_dict, local_path
from tests.security.pages import django_transport, require_checker
from tests.security.test_no_inline import inline_problems

HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same inputs every run: a failure is reproducible
)
LINK_ON = (b'href="/check/', b'href="/"')


@dataclass
class Step:
    url: str  # where the step's form posts
    page: str  # the page that showed the form
    form: wizard.Form
    cookies: dict[str, str]  # the person's cookies when the form was shown


@dataclass
class Checker:
    steps: list[Step]
    finished: dict[str, str]  # the cookies of a person who has just seen their result
    result_url: str


def discover(client: Client) -> Checker:
    """Walk complete sessions, keeping every step form and the cookies at that moment."""
    steps: dict[str, Step] = {}
    finished: dict[str, str] = {}
    result_url = ""
    for choose in (wizard.pick_findings(set()), wizard.pick_randomly(random.Random(3))):
        client.cookies.clear()
        transport = django_transport(client)
        last: list[str] = []

        def send(
            method: str,
            url: str,
            data: wizard.Answers | None,
            transport: wizard.Transport = transport,
            last: list[str] = last,
        ) -> wizard.Response:
            response = transport(method, url, data)
            last[:] = [response.url]
            form = wizard.parse(response.text).step_form
            if form is not None:
                action = local_path(form.action) if form.action else response.url
                cookies = {k: m.value for k, m in client.cookies.items()}
                steps.setdefault(action, Step(action, response.url, form, cookies))
            return response

        wizard.run_session(send, choose)
        finished = {k: m.value for k, m in client.cookies.items()}
        result_url = last[0]
    return Checker(list(steps.values()), finished, result_url)


def assert_helpful(response: HttpResponse, client: Client) -> None:
    where = f"{response.wsgi_request.method} {response.wsgi_request.path}"
    assert response.status_code < 500, where
    if response.status_code in {301, 302, 303}:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
        response = client.get(location)
        assert response.status_code < 500, location
        if response.status_code in {301, 302, 303}:
            return  # a second redirect (e.g. back to the start); already checked it is local
    assert response.status_code in {200, 400, 403, 404, 410, 413}, where
    assert response["Content-Type"].startswith("text/html"), where
    body = response.content
    assert b"<h1" in body and any(link in body for link in LINK_ON), where


@pytest.fixture
def checker(client: Client) -> Checker:
    require_checker(client)
    found = discover(client)
    assert len(found.steps) >= 2 and found.result_url
    return found


def tamper(value: str, how: int) -> str:
    if not value:
        return "x"
    if how == 0:
        return value[:-1] + ("A" if value[-1] != "A" else "B")  # a wrong signature
    if how == 1:
        return value[: len(value) // 2]  # cut short
    return "." + value  # a different (compressed-looking) payload, same signature


text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
oversized = st.integers(1_000, 300_000).map(lambda n: "x" * n)


@given(data=st.data())
@HYPOTHESIS
@pytest.mark.django_db
def test_any_post_to_any_checker_step_gets_a_helpful_page(
    checker: Checker, data: st.DataObject
) -> None:
    steps, finished = checker.steps, checker.finished
    step = data.draw(st.sampled_from(steps), label="step")
    codes = [v for _, values in step.form.options.values() for v in values]
    known_names = [n for n, _ in step.form.hidden] + list(step.form.options)
    names = data.draw(
        st.lists(st.sampled_from(known_names) | text, max_size=6), label="field names"
    )
    value = st.sampled_from([*codes, "none"]) | text | oversized
    fields = [(n, v) for n in names for v in data.draw(st.lists(value, max_size=4), label=n)]

    client = Client()
    cookie_choice = data.draw(st.sampled_from(["as shown", "none", "finished", "tampered"]))
    cookies = {"as shown": step.cookies, "none": {}, "finished": finished}.get(cookie_choice)
    if cookies is None:
        how = data.draw(st.integers(0, 2))
        cookies = {k: v if k == "csrftoken" else tamper(v, how) for k, v in step.cookies.items()}
    for name, cookie in cookies.items():
        client.cookies[name] = cookie
    response = client.post(step.url, as_dict(fields))
    assert_helpful(response, client)


@given(body=st.binary(max_size=3000), multipart=st.booleans())
@HYPOTHESIS
@pytest.mark.django_db
def test_non_utf8_and_malformed_bodies_get_a_helpful_page(
    checker: Checker, body: bytes, multipart: bool
) -> None:
    steps = checker.steps
    client = Client()
    for name, cookie in steps[0].cookies.items():
        client.cookies[name] = cookie
    kind = "multipart/form-data; boundary=xyz" if multipart else "application/x-www-form-urlencoded"
    for step in steps:
        response = client.post(step.url, body, content_type=kind)
        assert_helpful(response, client)
        raw = b"q=%ff%fe&" + body + b"&\xff\xfe=\xc3\x28"
        assert_helpful(client.post(step.url, raw, content_type=kind), client)


@pytest.mark.django_db
def test_an_oversized_post_is_refused_politely(
    checker: Checker,
) -> None:
    steps = checker.steps
    client = Client()
    huge = {f"field{i}": "x" for i in range(2000)}  # more fields than Django accepts
    response = client.post(steps[0].url, huge)
    assert_helpful(response, client)
    response = client.post(steps[0].url, {"x": "y" * 3_000_000})  # over the memory limit
    assert_helpful(response, client)


@pytest.mark.django_db
def test_tampered_expired_or_replayed_state_on_every_checker_page(
    checker: Checker, client: Client
) -> None:
    steps, finished = checker.steps, checker.finished
    pages = {s.page for s in steps} | {"/check/", checker.result_url}
    state = [k for k in finished if k not in {"csrftoken", "sessionid"}]
    assert state, "the checker keeps its state in a cookie"
    variants = [finished] + [
        {k: tamper(v, how) if k in state else v for k, v in finished.items()} for how in range(3)
    ]
    variants.append(dict.fromkeys(finished, ""))
    for cookies in variants:
        for page in sorted(pages):
            fresh = Client()
            for name, value in cookies.items():
                fresh.cookies[name] = value
            assert_helpful(fresh.get(page), fresh)
            form = wizard.parse(fresh.get(page).content.decode()).step_form
            if form is not None:
                answers = wizard.answers(form, wizard.pick_findings(set()))
                assert_helpful(fresh.post(local_path(form.action) or page, as_dict(answers)), fresh)


@pytest.mark.django_db
def test_a_tampered_answer_cookie_is_not_believed(
    checker: Checker,
) -> None:
    """A changed cookie must never produce a result from answers we did not sign."""
    finished = checker.finished
    state = next(k for k in finished if k not in {"csrftoken", "sessionid"})
    client = Client()
    for how in range(3):
        client = Client()
        client.cookies[state] = tamper(finished[state], how)
        response = client.get(checker.result_url)
        assert_helpful(response, client)
        assert b"data-urgency" not in client.get(checker.result_url, follow=True).content


@given(q=text | oversized | st.sampled_from(["%ff", "\x00", "<script>", "' OR 1=1 --", "*"]))
@HYPOTHESIS
@pytest.mark.django_db
def test_any_search_gets_a_helpful_page(q: str) -> None:
    client = Client()
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert b"<h1" in response.content
    assert inline_problems(response.content.decode()) == []  # nothing injected
    for raw in ["/search/?q=%ff%fe", "/search/?q=a&q=b&q=c", "/search/?x=1", "/search/?q"]:
        assert_helpful(client.get(raw), client)


@pytest.mark.django_db
def test_a_forged_or_stale_form_gets_a_plain_expired_page(checker: Checker) -> None:
    """Without a valid CSRF token (a stale page, a blocked cookie, or a forgery) the answer
    is refused with our page, not Django's technical one."""
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(checker.steps[0].url, {"x": "none"})
    assert response.status_code == 403
    assert b"That page had expired" in response.content
    assert_helpful(response, strict)


@pytest.mark.django_db
def test_an_unknown_host_header_gets_our_400_page() -> None:
    response = Client(headers={"Host": "evil.example"}).get("/check/")
    assert response.status_code == 400
    assert b"We could not read that" in response.content
    assert b"evil.example" not in response.content  # no link built from the bad host
