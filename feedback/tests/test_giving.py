"""Giving feedback: one form, with JavaScript or without; only page, yes/no, text and the
day are stored; bad input gets the form back with a message; too much gets a 429."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from feedback import ratelimit
from feedback.models import Feedback

from .conftest import ARTICLE, send

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_the_form_page_holds_the_answer_and_is_never_cached(client: Client) -> None:
    response = client.get("/feedback/", {"page": ARTICLE, "helpful": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="yes" checked' in html and 'value="no" checked' not in html
    assert "csrfmiddlewaretoken" in html
    assert "Do not write anything personal or about your health" in html
    assert "We cannot reply to you" in html
    assert 'maxlength="500"' in html
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert not Feedback.objects.exists()  # a GET (a crawler, a prefetch) stores nothing


def test_without_javascript_a_post_stores_the_answer_and_redirects_to_thanks() -> None:
    client = Client(enforce_csrf_checks=True)
    form = client.get("/feedback/", {"page": ARTICLE, "helpful": "no"}).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    response = send(
        client,
        helpful="no",
        text="  Nothing on cramps in pregnancy.  ",
        csrfmiddlewaretoken=token[1],
    )
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert b"Thank you for your feedback" in thanks.content
    assert f'href="{ARTICLE}"'.encode() in thanks.content  # back to the page
    answer = Feedback.objects.get()
    assert (answer.page, answer.helpful, answer.text) == (
        ARTICLE,
        False,
        "Nothing on cramps in pregnancy.",
    )
    assert answer.created_on == timezone.localdate()


def test_only_the_page_the_answer_the_text_and_the_day_are_stored() -> None:
    fields = {f.name: type(f).__name__ for f in Feedback._meta.get_fields()}
    # The id is random (no order of arrival); the date has no time of day.
    assert fields == {
        "id": "UUIDField",
        "page": "CharField",
        "helpful": "BooleanField",
        "text": "TextField",
        "created_on": "DateField",
    }


def test_a_post_sets_no_cookie_and_touches_no_session(client: Client) -> None:
    client.get("/feedback/", {"page": ARTICLE, "helpful": "yes"})  # gets the CSRF cookie
    client.cookies.pop(settings.CSRF_COOKIE_NAME)
    stored, refused = send(client, text="Hello"), send(client, helpful="maybe")
    assert (stored.status_code, refused.status_code) == (303, 200)
    for response in [stored, refused]:
        assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        session = response.wsgi_request.session
        assert not session.accessed and not session.modified
    assert not stored.cookies  # the redirect needs no token
    assert Feedback.objects.count() == 1


def test_the_text_may_be_500_characters_and_no_more(client: Client) -> None:
    assert send(client, text="a" * 500).status_code == 303
    # A browser sends line ends as CRLF; the person's textarea counted one each.
    assert send(client, text="ab\r\n" * 166 + "ab").status_code == 303
    assert Feedback.objects.filter(text="ab\n" * 166 + "ab").exists()
    too_long = send(client, text="b" * 501)
    html = too_long.content.decode()
    assert too_long.status_code == 200
    assert "There is a problem" in html
    assert "must be 500 characters or fewer (you wrote 501)" in html
    assert "b" * 501 in html  # what they typed is kept
    assert Feedback.objects.count() == 2


def test_nul_bytes_and_control_characters_are_removed(client: Client) -> None:
    text = "No\x00thing\x07 on \u202enight\u202c cramps\tat all\nreally\x1b[31m"
    assert send(client, text=text).status_code == 303
    assert Feedback.objects.get().text == "Nothing on night cramps\tat all\nreally[31m"


@pytest.mark.parametrize("helpful", ["", "maybe", "YES", "1"])
def test_an_answer_other_than_yes_or_no_gets_the_form_again(client: Client, helpful: str) -> None:
    response = send(client, helpful=helpful, text="Kept as typed")
    assert response.status_code == 200
    assert b"Choose yes or no" in response.content
    assert b"Kept as typed" in response.content
    assert not Feedback.objects.exists()


BAD_PAGES = [
    "",
    "/",
    "/admin/",
    "/conditions/",
    "/conditions/leg-cramps/preview/",
    "/check/1/",
    "/check/result/?answers=kind_cramp",
    "/conditions/leg-cramps/#top",
    "//evil.example/conditions/leg-cramps/",
    "https://evil.example/conditions/leg-cramps/",
    "/conditions/leg\x00-cramps/",
    "/conditions/" + "a" * 300 + "/",
]


@pytest.mark.parametrize("page", BAD_PAGES)
def test_feedback_about_a_page_that_does_not_ask_is_refused(client: Client, page: str) -> None:
    shown = client.get("/feedback/", {"page": page, "helpful": "yes"})
    assert shown.status_code == 400
    assert b"We could not tell which page you mean" in shown.content
    posted = send(client, page=page, text="Kept as typed")
    assert posted.status_code == 200
    assert b"We could not tell which page your feedback is about" in posted.content
    assert b"Kept as typed" in posted.content
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "page", ["/conditions/leg-cramps/", "/self-care/", "/when-to-get-help/", "/check/result/"]
)
def test_feedback_about_the_pages_that_ask_is_taken(client: Client, page: str) -> None:
    assert send(client, page=page, helpful="yes").status_code == 303
    assert Feedback.objects.get().page == page


def test_a_sixth_answer_within_ten_minutes_gets_a_friendly_429(client: Client) -> None:
    for _ in range(ratelimit.LIMIT):
        assert send(client).status_code == 303
    refused = send(client, text="One too many")
    assert refused.status_code == 429
    assert b"we take up to 5 answers in 10 minutes" in refused.content
    assert b"Your last answer was not saved" in refused.content
    assert Feedback.objects.count() == ratelimit.LIMIT
    # Another client is not held back...
    assert send(Client(REMOTE_ADDR="192.0.2.7")).status_code == 303
    # ...and the window ends.
    cache.delete(ratelimit._key(refused.wsgi_request))
    assert send(client).status_code == 303


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_limit_is_per_real_client_and_keeps_no_address() -> None:
    def status(address: str) -> int:
        proxied = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)
        return send(proxied).status_code

    assert [status("198.51.100.20") for _ in range(ratelimit.LIMIT + 1)][-2:] == [303, 429]
    assert status("198.51.100.21") == 303  # the proxy's own address is not what counts
    keys = list(cache._cache)  # type: ignore[attr-defined]  # the tests' memory cache
    assert keys and not any("198.51.100" in str(key) or "10.0.0" in str(key) for key in keys)


def test_with_htmx_the_form_and_the_thanks_are_swapped_in_place(client: Client) -> None:
    fragment = client.get("/feedback/", {"page": ARTICLE, "helpful": "no"}, headers=HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html and "<h1" not in html
    assert 'hx-post="/feedback/"' in html and 'value="no" checked' in html
    assert "HX-Request" in fragment["Vary"]
    thanks = client.post("/feedback/", {"page": ARTICLE, "helpful": "no"}, headers=HTMX)
    assert thanks.status_code == 200 and b"<html" not in thanks.content
    assert b"Thank you for your feedback" in thanks.content
    assert Feedback.objects.count() == 1


def test_with_htmx_refusals_are_shown_in_place_too(client: Client) -> None:
    error = client.post("/feedback/", {"page": ARTICLE, "text": "x" * 501}, headers=HTMX)
    assert error.status_code == 200 and b"There is a problem" in error.content
    for _ in range(ratelimit.LIMIT):
        send(client)
    refused = client.post("/feedback/", {"page": ARTICLE, "helpful": "no"}, headers=HTMX)
    assert refused.status_code == 200  # htmx swaps only a 2xx response in
    assert b"<html" not in refused.content and b"we take up to 5 answers" in refused.content


def test_head_works_and_other_methods_get_a_page(client: Client) -> None:
    assert client.head("/feedback/", {"page": ARTICLE}).status_code == 200
    refused = client.put("/feedback/")
    assert refused.status_code == 405 and b"<h1" in refused.content


def test_the_thanks_page_links_back_only_to_a_page_that_asks(client: Client) -> None:
    assert b'href="/self-care/"' in client.get("/feedback/thanks/?page=/self-care/").content
    odd = client.get("/feedback/thanks/?page=https://evil.example/").content
    assert b"evil.example" not in odd


def test_the_date_is_the_day_in_the_sites_time_zone(client: Client) -> None:
    send(client)
    assert isinstance(Feedback.objects.get().created_on, datetime.date)
    assert not isinstance(Feedback.objects.get().created_on, datetime.datetime)
