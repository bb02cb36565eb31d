"""The page cache (content/caching.py): one query per cached page, edits show at once,
and nothing personal is ever shared."""

from __future__ import annotations

import gzip

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from content.caching import MARK, is_personal, is_shareable
from content.models import Condition

pytestmark = pytest.mark.django_db
URL = "/conditions/leg-cramps/"


def test_a_cached_page_costs_one_query_and_an_edit_shows_at_once(client: Client) -> None:
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL)
    assert len(queries) == 1  # the content version
    assert second.content == first.content

    condition = Condition.objects.get(slug="leg-cramps")
    condition.summary = "An edited summary, shown at once."
    condition.save()  # bumps the content version
    assert b"An edited summary, shown at once." in client.get(URL).content


def test_the_cache_really_serves_stored_pages_but_never_to_editors(client: Client) -> None:
    client.get(URL)
    # An update that skips the signals leaves the version alone: readers keep the copy...
    Condition.objects.filter(slug="leg-cramps").update(summary="Changed behind the cache.")
    assert b"Changed behind the cache." not in client.get(URL).content
    # ...but anyone with a session (an editor) always gets a fresh page.
    editor = Client()
    editor.force_login(User.objects.create_user("ed", password="a-long-test-passphrase"))
    assert b"Changed behind the cache." in editor.get(URL).content


def test_pages_are_stored_compressed_for_browsers_that_accept_gzip(client: Client) -> None:
    plain = client.get(URL)
    packed = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2


def test_htmx_fragments_are_cached_apart_from_whole_pages(client: Client) -> None:
    page = client.get("/search/?q=cramp")
    fragment = client.get("/search/?q=cramp", headers={"HX-Request": "true"})
    assert page.content != fragment.content
    assert client.get("/search/?q=cramp").content == page.content
    assert b"<html" not in client.get("/search/?q=cramp", headers={"HX-Request": "true"}).content


@pytest.mark.parametrize("url", ["/check/", "/admin/", "/admin/login/", "/robots.txt"])
def test_checker_and_admin_are_never_cached(url: str) -> None:
    assert not getattr(resolve(url).func, MARK, False)


@pytest.mark.parametrize(
    "url", ["/", "/conditions/", URL, "/search/", "/self-care/", "/when-to-get-help/"]
)
def test_public_pages_are_cached(url: str) -> None:
    assert getattr(resolve(url).func, MARK, False)


def test_requests_with_cookies_are_personal() -> None:
    factory = RequestFactory()
    assert not is_personal(factory.get("/"))
    csrf_only = factory.get("/")
    csrf_only.COOKIES = {"csrftoken": "x"}
    assert not is_personal(csrf_only)
    for name in ("sessionid", "messages", "twitch_checker"):
        request = factory.get("/")
        request.COOKIES = {name: "x"}
        assert is_personal(request), name


def test_responses_that_set_cookies_or_use_csrf_are_not_shared() -> None:
    request = RequestFactory().get("/")
    assert is_shareable(request, HttpResponse("ok"))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("a", "b")
    assert not is_shareable(request, with_cookie)
    varies = HttpResponse("ok", headers={"Vary": "Cookie"})
    assert not is_shareable(request, varies)
    private = HttpResponse("ok", headers={"Cache-Control": "private"})
    assert not is_shareable(request, private)
    assert not is_shareable(request, HttpResponse("gone", status=404))
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not is_shareable(request, HttpResponse("ok"))
