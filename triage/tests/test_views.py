"""The wizard's pages, walked with and without htmx, and everything that can go wrong."""

from __future__ import annotations

import base64
import logging
import re
import time
import zlib
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.security.pages import inline_problems
from triage import state
from triage.knowledge import get_data
from triage.tests.helpers import FINDINGS, Page, choose, client_transport, drive, parse

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
# A calf twitch with no red flags, saying No to every gateway: the shortest walk.
NONE_PAGES: dict[str, dict[str, Any]] = {
    "emergency": {"emergency-signs": ["none"]},
    "emergency-more": {"emergency-signs-more": ["none"]},
    "about-you": {
        "age": "age_16_to_59",
        "duration": "duration_under_1_week",
        "worse": "none",
        "self-help": "none",
    },
    "feel": {"kind": ["kind_flicker"], "sides": "one_leg_only"},
    "where": {"where": ["location_calf"], "swollen": "none", "pattern": ["none"]},
    "other-symptoms": {"other-symptoms": "no"},
    "health-gateway": {"health-gateway": "no"},
    "lifestyle": {"lifestyle": ["caffeine_high"]},
}
FIRST = {slug: NONE_PAGES[slug] for slug in ("emergency", "emergency-more")}
# The same person saying Yes to every gateway, and none of the pages behind them.
OTHER_OPEN: dict[str, dict[str, Any]] = {
    "other-symptoms": {"other-symptoms": "yes"},
    "legs-gateway": {"legs-gateway": "yes"},
    "legs": {"legs": ["none"]},
    "legs-more": {"legs-more": ["none"]},
    "body-gateway": {"body-gateway": "yes"},
    "body": {"body": ["none"]},
    "heart": {"heart": ["none"]},
    "recent": {"recent": ["none"]},
}
HEALTH_OPEN: dict[str, dict[str, Any]] = {
    "health-gateway": {"health-gateway": "yes"},
    "health": {"health": ["none"]},
    "medicines": {"medicines": ["none"]},
}
BEFORE_GATEWAYS = list(NONE_PAGES)[:5]
ALL_PAGES: dict[str, dict[str, Any]] = {
    **{slug: NONE_PAGES[slug] for slug in BEFORE_GATEWAYS},
    **OTHER_OPEN,
    **HEALTH_OPEN,
    "lifestyle": NONE_PAGES["lifestyle"],
}
PLAIN = list(NONE_PAGES)


def opened(**pages: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """ALL_PAGES with some pages answered otherwise, in page order."""
    return {slug: pages.get(slug.replace("-", "_"), data) for slug, data in ALL_PAGES.items()}


def at(slug: str, path: list[str] | None = None, *, change: bool = False) -> str:
    """A page's address: its number in the person's walk (`path`), never its name."""
    number = (path or PLAIN).index(slug) + 1
    return f"/check/{number}/change/" if change else f"/check/{number}/"


def post(
    client: Client, slug: str, data: dict[str, Any], path: list[str] | None = None, **kwargs: Any
) -> Any:
    """Answer a page as its form does (the form says which page it was for)."""
    return client.post(at(slug, path), {"step": slug, **data}, **kwargs)


def walk(client: Client, pages: dict[str, dict[str, Any]], **kwargs: Any) -> list[Any]:
    """Post each page in order (the pages given are the person's walk); the responses."""
    client.get("/check/begin/")
    path = list(pages)
    return [post(client, slug, data, path, **kwargs) for slug, data in pages.items()]


def page_of(response: Any) -> Page:
    return parse(response.get("Location", ""), response.content.decode())


# ---- the happy path, without and with htmx -------------------------------------------


def test_start_page_explains_and_links_to_the_first_question(client: Client) -> None:
    response = client.get("/check/")
    html = response.content.decode()
    assert response.status_code == 200
    for words in ["16 and over", "5 minutes", "do not store your answers", "999", "112", "911"]:
        assert words in html
    page = parse("/check/", html)
    assert page.start_href == "/check/begin/" and page.h1_count == 1
    begin = client.get(page.start_href)
    assert begin.status_code == 303 and begin["Location"] == at("emergency")


def test_without_javascript_each_answer_redirects_to_the_next_page(client: Client) -> None:
    responses = walk(client, NONE_PAGES)
    locations = [r["Location"] for r in responses]
    assert [r.status_code for r in responses] == [303] * len(NONE_PAGES)
    assert locations == [*(at(slug) for slug in PLAIN[1:]), "/check/answers/"]
    answers = client.get("/check/answers/")
    assert "Check your answers" in answers.content.decode()
    assert parse("", answers.content.decode()).form_action == "/check/answers/"
    done = client.post("/check/answers/")
    assert done.status_code == 303 and done["Location"] == "/check/result/"
    result = page_of(client.get("/check/result/"))
    assert result.urgency == "self-care" and result.urgency_count == 1


def test_with_htmx_each_answer_returns_the_next_wizard_and_its_url(client: Client) -> None:
    responses = walk(client, NONE_PAGES, headers=HX)
    assert [r.status_code for r in responses] == [200] * len(NONE_PAGES)
    assert responses[0]["HX-Push-Url"] == at("emergency-more")
    assert responses[-1]["HX-Push-Url"] == "/check/answers/"
    for response in responses:
        html = response.content.decode()
        assert "<html" not in html and "site-header" not in html  # only the wizard
        assert re.search(r'data-page-title="[^"]+ - ', html)
        assert "data-focus-heading" in html
    assert 'data-page-title="More emergency signs - ' in responses[0].content.decode()
    result = client.post("/check/answers/", headers=HX)
    assert result["HX-Push-Url"] == "/check/result/"
    assert page_of(result).urgency == "self-care"


def test_htmx_get_gives_the_partial_and_plain_get_the_full_page(client: Client) -> None:
    client.get("/check/begin/")
    full = client.get(at("emergency")).content.decode()
    partial = client.get(at("emergency"), headers=HX).content.decode()
    assert "<html" in full and 'id="wizard"' in full
    assert "<html" not in partial and "emergency-signs" in partial
    boosted = client.get(at("emergency"), headers={**HX, "HX-Boosted": "true"})
    assert "<html" in boosted.content.decode()
    restore = client.get(at("emergency"), headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize(
    "url", ["/check/", "/check/1/", "/check/answers/", "/check/result/", "/check/summary/"]
)
def test_checker_pages_are_never_stored_and_vary_on_htmx(client: Client, url: str) -> None:
    walk(client, NONE_PAGES)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "HX-Request" in response["Vary"]


def test_every_question_page_has_a_back_link_and_one_h1(client: Client) -> None:
    client.get("/check/begin/")
    previous = "/check/"
    for slug, data in NONE_PAGES.items():
        html = client.get(at(slug)).content.decode()
        assert re.search(rf'class="back-link" href="{re.escape(previous)}"', html), slug
        assert parse("", html).h1_count == 1
        post(client, slug, data)
        previous = at(slug)


def test_an_emergency_sign_ends_the_questions_at_once(client: Client) -> None:
    client.get("/check/begin/")
    response = post(client, "emergency", {"emergency-signs": ["seizure"]})
    assert response["Location"] == "/check/result/"
    html = client.get("/check/result/").content.decode()
    assert parse("", html).urgency == "emergency"
    assert "Call 999" in html and "112" in html and "911" in html
    assert "We stopped the questions" in html


def test_an_emergency_combination_later_also_ends_the_questions(client: Client) -> None:
    pages = opened(
        heart={"heart": ["fever"]},
        recent={"recent": ["agitation_sweating_shivering"]},
        medicines={"medicines": ["new_or_increased_antidepressant"]},
    )
    responses = walk(client, pages)
    after_medicines = list(pages).index("medicines")
    assert responses[after_medicines]["Location"] == "/check/result/"  # not lifestyle
    assert page_of(client.get("/check/result/")).urgency == "emergency"


@pytest.mark.parametrize("number", ["999", "112"])
def test_the_emergency_number_is_a_setting(client: Client, settings: Any, number: str) -> None:
    settings.EMERGENCY_NUMBER = number
    client.get("/check/begin/")
    post(client, "emergency", {"emergency-signs": ["stroke_signs"]})
    html = client.get("/check/result/").content.decode()
    assert f"Call {number} or go to A&amp;E now" in html


# Back pain down the leg opens the follow-up page after "More about your legs".
BACK_PAIN: dict[str, dict[str, Any]] = {
    **{slug: NONE_PAGES[slug] for slug in BEFORE_GATEWAYS},
    **{slug: OTHER_OPEN[slug] for slug in ("other-symptoms", "legs-gateway", "legs")},
    "legs-more": {"legs-more": ["back_pain_to_leg"]},
    "follow-up": {"back-pain-sides": "none"},
    "body-gateway": {"body-gateway": "no"},
    "health-gateway": {"health-gateway": "no"},
    "lifestyle": NONE_PAGES["lifestyle"],
}
BACK_PAIN_PATH = list(BACK_PAIN)


def test_a_follow_up_page_appears_only_when_relevant(client: Client) -> None:
    responses = walk(client, NONE_PAGES)
    assert "follow-up" not in client.get("/check/answers/").content.decode()
    assert [r["Location"] for r in responses][-2:] == [at("lifestyle"), "/check/answers/"]
    client = Client()
    upto = BACK_PAIN_PATH[: BACK_PAIN_PATH.index("follow-up")]
    responses = walk(client, {k: BACK_PAIN[k] for k in upto})
    assert responses[-1]["Location"] == at("follow-up", BACK_PAIN_PATH)
    html = client.get(at("follow-up", BACK_PAIN_PATH)).content.decode()
    assert "one leg or both legs" in html
    both = post(client, "follow-up", {"back-pain-sides": "back_pain_to_both_legs"}, BACK_PAIN_PATH)
    assert both["Location"] == "/check/result/"  # sciatica in both legs: an emergency
    assert page_of(client.get("/check/result/")).urgency == "emergency"


def test_no_at_a_gateway_skips_its_pages_and_yes_opens_them(client: Client) -> None:
    walk(client, {slug: NONE_PAGES[slug] for slug in BEFORE_GATEWAYS})
    gateway = client.get(at("other-symptoms")).content.decode()
    page = parse("", gateway)
    assert page.step_form is not None and not page.step_form.options  # two buttons, no boxes
    assert "<h1" in gateway and "any other symptoms" in gateway
    no = post(client, "other-symptoms", {"other-symptoms": "no"})
    assert no["Location"] == at("health-gateway")
    path = [*BEFORE_GATEWAYS, "other-symptoms", "legs-gateway"]
    yes = post(client, "other-symptoms", {"other-symptoms": "yes"}, path)
    assert yes["Location"] == at("legs-gateway", path)
    again = client.get(at("other-symptoms")).content.decode()
    assert "You answered: <strong>Yes</strong>" in again  # Back keeps the answer
    missing = post(client, "other-symptoms", {})
    assert missing.status_code == 200 and "Select Yes or No." in missing.content.decode()
    odd = post(client, "other-symptoms", {"other-symptoms": "maybe"})
    assert odd.status_code == 200 and "There is a problem" in odd.content.decode()


def test_progress_says_which_question_of_about_how_many(client: Client) -> None:
    walk(client, {slug: NONE_PAGES[slug] for slug in BEFORE_GATEWAYS})
    assert "Question 1 of about 8" in client.get(at("emergency")).content.decode()
    assert "Question 6 of about 8" in client.get(at("other-symptoms")).content.decode()
    post(client, "other-symptoms", {"other-symptoms": "yes"})
    # Yes adds the two gateways behind it: the count grows, honestly.
    assert "Question 6 of about 10" in client.get(at("other-symptoms")).content.decode()


def test_check_your_answers_has_a_change_link_per_page_that_returns_here(client: Client) -> None:
    walk(client, NONE_PAGES)
    html = client.get("/check/answers/").content.decode()
    for slug in NONE_PAGES:
        assert f'href="{at(slug, change=True)}"' in html
    assert "?" not in "".join(re.findall(r'href="(/check/[^"]*)"', html))
    change = client.get(at("feel", change=True)).content.decode()
    assert f'action="{at("feel", change=True)}"' in change
    assert 'class="back-link" href="/check/answers/"' in change
    assert 'value="kind_flicker" checked' in change.replace("\n", " ") or re.search(
        r'value="kind_flicker"[^>]*checked', change
    )
    response = client.post(
        at("feel", change=True), {"step": "feel", **NONE_PAGES["feel"], "kind": ["kind_jerk"]}
    )
    assert response["Location"] == "/check/answers/"
    assert "Sudden jerks of your leg" in client.get("/check/answers/").content.decode()


def test_changing_an_answer_that_opens_a_follow_up_asks_it_first(client: Client) -> None:
    walk(client, {**BACK_PAIN, "legs-more": {"legs-more": ["none"]}} | {"follow-up": {}})
    response = client.post(
        at("legs-more", BACK_PAIN_PATH, change=True),
        {"step": "legs-more", **BACK_PAIN["legs-more"]},
    )
    assert response["Location"] == at("follow-up", BACK_PAIN_PATH)


def test_changing_a_gateway_to_yes_asks_the_pages_it_opens(client: Client) -> None:
    walk(client, NONE_PAGES)
    response = client.post(
        at("other-symptoms", change=True), {"step": "other-symptoms", "other-symptoms": "yes"}
    )
    assert response["Location"] == at(
        "legs-gateway", [*BEFORE_GATEWAYS, "other-symptoms", "legs-gateway"]
    )


def test_a_child_is_told_the_checker_is_for_16_and_over(client: Client) -> None:
    pages = {**NONE_PAGES, "about-you": {**NONE_PAGES["about-you"], "age": "age_under_16"}}
    walk(client, pages)
    html = client.get("/check/result/").content.decode()
    assert parse("", html).urgency == "soon"
    assert "aged 16 and over" in html and "NHS 111" in html and "pharmacist" in html


def test_the_result_explains_causes_self_care_and_safety_net(client: Client) -> None:
    pages = opened(
        feel={**NONE_PAGES["feel"], "kind": ["kind_cramp"]},
        recent={"recent": ["vomiting_or_diarrhoea"]},
        medicines={"medicines": ["takes_diuretic"]},
    )
    walk(client, pages)
    html = client.get("/check/result/").content.decode()
    page = parse("", html)
    assert page.urgency == "urgent"
    assert "Get help today" in html
    assert "Cramps after vomiting or diarrhoea can mean" in html  # the reason
    assert "you take a water tablet" in html  # ... the answers it rests on, in their words
    assert "Get help sooner if" in html and "Call 999" in html
    data = get_data()
    assert page.conditions, "no likely causes: are the condition articles published?"
    for slug in page.conditions:
        assert slug in data.conditions  # published only
        assert f'href="/conditions/{slug}/"' in html
    assert "Fits because you said" in html


def test_self_care_results_list_remedies_from_the_likely_causes(client: Client) -> None:
    walk(client, NONE_PAGES)
    html = client.get("/check/result/").content.decode()
    data = get_data()
    page = parse("", html)
    expected = [r for slug in page.conditions[:3] for r in data.remedies.get(slug, ())]
    if expected:
        assert "What you can do yourself" in html
        assert f'href="{expected[0].url}"' in html
    assert "See a GP" in html  # safety-netting on a self-care result


def test_the_printable_summary_has_answers_result_and_date(client: Client) -> None:
    walk(client, NONE_PAGES)
    response = client.get("/check/summary/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "print-summary" in html and "summary for your doctor" in html
    assert "More than 4 cups of coffee" in html  # an answer
    assert "You can look after this at home" in html  # the result
    assert re.search(r"Made on \d{1,2} [A-Z][a-z]+ \d{4}", html)


# ---- errors --------------------------------------------------------------------------


def test_a_missing_answer_shows_the_error_summary_and_inline_messages(client: Client) -> None:
    walk(client, FIRST)
    response = post(client, "about-you", {**NONE_PAGES["about-you"], "age": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#age-age_under_16"' in html
    assert 'id="age-error"' in html and "Select an answer." in html
    assert re.search(r'class="error-summary"[^>]*data-focus-heading', html)
    assert "<title>Error: About you and when it started" in html
    assert state.COOKIE not in response.cookies  # nothing new stored


def test_none_with_other_boxes_is_an_error(client: Client) -> None:
    client.get("/check/begin/")
    response = post(client, "emergency", {"emergency-signs": ["none", "seizure"]})
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html
    assert "Select 'None of these' or the answers that apply, not both." in html


@pytest.mark.parametrize(
    "data",
    [
        {"age": "age_99"},
        {"age": "seizure"},  # a real code, from another page
        {"age": "age_16_to_59", "worse": ["<script>"]},
        {"age": ["age_16_to_59", "age_60_plus"]},
    ],
)
def test_garbage_values_are_refused_politely(client: Client, data: dict[str, Any]) -> None:
    walk(client, FIRST)
    response = post(client, "about-you", {**NONE_PAGES["about-you"], **data})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "<script>" not in html


def test_a_tampered_cookie_gets_a_clear_message_and_a_restart(client: Client) -> None:
    walk(client, FIRST)
    value = client.cookies[state.COOKIE].value
    tampered = value[:-3] + ("abc" if not value.endswith("abc") else "xyz")
    for method, data in [("get", {}), ("post", NONE_PAGES["about-you"])]:
        client.cookies[state.COOKIE] = tampered
        response = getattr(client, method)(
            at("about-you"), {"step": "about-you", **data} if data else {}
        )
        html = response.content.decode()
        assert response.status_code == 400
        assert "We could not read your answers" in html
        assert 'action="/check/restart/"' in html
        assert response.cookies[state.COOKIE]["max-age"] == 0  # deleted


@pytest.mark.parametrize(
    "payload", [{"emergency": "seizure"}, ["emergency"], {"a b": []}, {"x": [1]}]
)
def test_a_validly_sealed_but_odd_cookie_counts_as_tampered(client: Client, payload: Any) -> None:
    client.cookies[state.COOKIE] = state.seal(payload)
    response = client.get(at("emergency"))
    assert (
        response.status_code == 400
        and "We could not read your answers" in response.content.decode()
    )


def test_an_expired_cookie_gets_a_clear_message(client: Client) -> None:
    client.cookies[state.COOKIE] = state.seal({"emergency": []}, at=time.time() - 2 * 60 * 60)
    response = post(client, "about-you", NONE_PAGES["about-you"])
    assert response.status_code == 400
    assert "Your answers have timed out" in response.content.decode()


def test_an_out_of_order_post_is_refused(client: Client) -> None:
    walk(client, FIRST)
    response = post(client, "where", NONE_PAGES["where"])
    assert response.status_code == 400
    assert "Please answer the questions in order" in response.content.decode()
    fresh = post(Client(), "lifestyle", NONE_PAGES["lifestyle"])
    assert fresh.status_code == 400 and "We could not find your answers" in fresh.content.decode()


def test_an_out_of_order_get_goes_to_the_first_unanswered_page(client: Client) -> None:
    walk(client, FIRST)
    response = client.get(at("lifestyle"))
    assert response.status_code == 303 and response["Location"] == at("about-you")
    assert client.get("/check/result/")["Location"] == at("about-you")


def test_htmx_gets_the_problem_page_as_a_swappable_partial(client: Client) -> None:
    client.cookies[state.COOKIE] = "nonsense"
    response = client.get(at("emergency"), headers=HX)
    assert response.status_code == 200
    assert "We could not read your answers" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/check/no-such-page/"),
        ("get", "/check/99/"),
        ("get", "/check/restart/"),
        ("put", "/check/1/"),
    ],
)
def test_odd_requests_are_client_errors_not_crashes(client: Client, method: str, url: str) -> None:
    response = getattr(client, method)(url)
    assert 400 <= response.status_code < 500


def test_start_again_deletes_the_answers(client: Client) -> None:
    walk(client, NONE_PAGES)
    response = client.post("/check/restart/")
    assert response.status_code == 303 and response["Location"] == "/check/"
    assert response.cookies[state.COOKIE]["max-age"] == 0
    assert client.get("/check/result/").status_code == 400


def test_start_again_works_without_a_csrf_cookie(client: Client) -> None:
    """A person whose CSRF cookie has gone (blocked, cleared, or a page left open for
    days) can still start again: the form carries no token, and none is asked for."""
    walk(client, NONE_PAGES)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies[state.COOKIE] = client.cookies[state.COOKIE].value
    result = strict.get("/check/result/")
    assert "Start again" in result.content.decode() and "csrftoken" not in result.cookies
    response = strict.post("/check/restart/")
    assert response.status_code == 303 and response["Location"] == "/check/"
    assert response.cookies[state.COOKIE]["max-age"] == 0


# ---- privacy and scale ---------------------------------------------------------------


def test_the_answers_cookie_is_encrypted_httponly_lax_and_short_lived(client: Client) -> None:
    about = {**NONE_PAGES["about-you"], "age": "age_60_plus", "worse": "getting_worse"}
    responses = walk(client, {**FIRST, "about-you": about})
    cookie = responses[-1].cookies[state.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/check/"
    assert cookie["max-age"] == 3600
    # Without the key the value says nothing: not even once its base64 is decoded.
    raw = base64.urlsafe_b64decode(cookie.value + "=" * (-len(cookie.value) % 4))
    for word in (b"getting_worse", b"age_60_plus", b"about-you", b"emergency"):
        assert word not in raw and word not in zlib_attempt(raw)
    assert state.open_sealed(cookie.value) == {
        "emergency": [],
        "emergency-more": [],
        "about-you": ["age_60_plus", "duration_under_1_week", "getting_worse"],
    }


def zlib_attempt(raw: bytes) -> bytes:
    """What the bytes would say if they were only compressed (as signed cookies were)."""
    for start in range(len(raw)):
        try:
            return zlib.decompress(raw[start:])
        except zlib.error:
            continue
    return b""


def test_answers_survive_a_key_rotation_and_not_a_lost_key(client: Client) -> None:
    walk(client, FIRST)
    with override_settings(SECRET_KEY="a-new-key-" * 5, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        response = post(client, "about-you", NONE_PAGES["about-you"])
        assert response.status_code == 303 and response["Location"] == at("feel")
        resealed = response.cookies[state.COOKIE].value  # now under the new key
    with override_settings(SECRET_KEY="another-key-" * 5, SECRET_KEY_FALLBACKS=[]):
        client.cookies[state.COOKIE] = resealed
        response = client.get(at("feel"))
        assert response.status_code == 400
        assert "We could not read your answers" in response.content.decode()


def test_a_whole_session_writes_nothing_to_the_database(client: Client) -> None:
    counts = {m: m._default_manager.count() for m in apps.get_models()}
    with CaptureQueriesContext(connection) as queries:
        walk(client, NONE_PAGES)
        client.post("/check/answers/")
        client.get("/check/result/")
        client.get("/check/summary/")
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert counts == {m: m._default_manager.count() for m in apps.get_models()}


def test_answers_never_reach_urls_or_logs(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    responses = walk(client, NONE_PAGES)
    responses.append(post(client, "emergency", {"emergency-signs": ["bogus"]}))
    logged = " ".join(record.getMessage() for record in caplog.records)
    for response in responses:
        for code in FINDINGS:
            assert code not in response.get("Location", "")
            assert code not in response.get("HX-Push-Url", "")
            assert code not in logged


def test_a_checker_page_makes_at_most_three_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    walk(client, FIRST)
    get_data()  # warm the per-process cache, as any running server has
    with django_assert_max_num_queries(3):
        client.get(at("about-you"))
    with django_assert_max_num_queries(3):
        post(client, "about-you", NONE_PAGES["about-you"])
    walk(client, NONE_PAGES)
    with django_assert_max_num_queries(3):
        client.get("/check/result/")


def test_checker_pages_keep_the_content_security_policy(client: Client) -> None:
    urls = [
        "/check/",
        *[at(slug) for slug in NONE_PAGES],
        "/check/answers/",
        "/check/result/",
        "/check/summary/",
    ]
    walk(client, NONE_PAGES)
    for url in urls:
        assert inline_problems(client.get(url).content.decode()) == [], url


def test_the_driver_picks_none_where_nothing_matches(client: Client) -> None:
    client.get("/check/begin/")
    page = parse("", client.get(at("emergency")).content.decode())
    assert choose(page, {"kind_flicker"})["emergency-signs"] == ["none"]
    assert choose(page, {"seizure"})["emergency-signs"] == ["seizure"]


# ---- short pages (issue 12) ------------------------------------------------------------

CALF_TWITCH = ["age_16_to_59", "kind_flicker", "location_calf", "one_leg_only"]


def counting_transport(client: Client, seen: list[str]) -> tuple[Any, Any]:
    """client_transport, keeping every page's HTML."""
    get, post = client_transport(client)

    def counted_get(url: str) -> tuple[str, str]:
        seen.append((found := get(url))[1])
        return found

    def counted_post(url: str, data: dict[str, list[str]]) -> tuple[str, str]:
        seen.append((found := post(url, data))[1])
        return found

    return counted_get, counted_post


def test_a_calf_twitch_without_red_flags_reaches_the_result_in_nine_pages(client: Client) -> None:
    """The shortest walk, counted as a person clicks: from the start page's button, each
    page answered (8 questions, then check your answers) until the result."""
    seen: list[str] = []
    result = drive(*counting_transport(client, seen), CALF_TWITCH, say_no=True)
    assert result.urgency == "self-care"
    assert result.steps <= 9, result.steps
    questions = [parse("", html) for html in seen if "Question " in html and "of about" in html]
    assert len(questions) == 8
    assert "Question 8 of about 8" in seen[-3]  # the last question, before check your answers


def test_no_page_offers_more_than_eight_answers(client: Client) -> None:
    """Every page a person can reach, with every gateway open."""
    seen: list[str] = []
    drive(*counting_transport(client, seen), [*CALF_TWITCH, "back_pain_to_leg"])
    counts = {}
    for html in seen:
        page = parse("", html)
        if page.step_form is not None:
            values = [v for _, vs in page.step_form.options.values() for v in vs if v != "none"]
            title = re.search(r"<title>([^<]*)", html)
            counts[title.group(1) if title else "?"] = len(values)
    assert len(counts) >= 15  # every gateway opened, the follow-up too
    assert max(counts.values()) <= 8, counts
