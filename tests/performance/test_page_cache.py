"""The page cache (content/caching.py): one query per cached page, edits show at once,
and nothing personal is ever shared."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from content import condition_cache, version
from content.caching import cache_key, is_shareable
from content.models import Condition
from triage import state

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
    user = User.objects.create_user("ed", password="a-long-test-passphrase", is_staff=True)
    editor.force_login(user)
    assert b"Changed behind the cache." in editor.get(URL).content


def test_pages_are_stored_compressed_brotli_first_then_gzip(client: Client) -> None:
    plain = client.get(URL)
    assert "Content-Encoding" not in plain
    brotli_page = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert brotli_page["Content-Encoding"] == "br"
    assert "Accept-Encoding" in brotli_page["Vary"]
    assert brotli.decompress(brotli_page.content) == plain.content
    gzip_page = client.get(URL, headers={"Accept-Encoding": "gzip, deflate"})
    assert gzip_page["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzip_page.content) == plain.content
    # Brotli is the smaller: that is why browsers that can are given it.
    assert int(brotli_page["Content-Length"]) == len(brotli_page.content)
    assert len(brotli_page.content) < len(gzip_page.content) < len(plain.content) / 2


@pytest.mark.parametrize(
    ("accept_encoding", "served"),
    [
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("*", "br"),
        ("*;q=0.5, br;q=0", "gzip"),
        ("identity", None),
        ("gzip;q=nonsense, br", "br"),
    ],
)
def test_a_coding_the_browser_refuses_is_never_sent(
    client: Client, accept_encoding: str, served: str | None
) -> None:
    plain = client.get(URL)
    page = client.get(URL, headers={"Accept-Encoding": accept_encoding})
    assert page.get("Content-Encoding") == served
    if served is None:
        assert page.content == plain.content


def test_htmx_fragments_are_cached_apart_from_whole_pages(client: Client) -> None:
    page = client.get("/search/?q=cramp")
    fragment = client.get("/search/?q=cramp", headers={"HX-Request": "true"})
    assert page.content != fragment.content
    assert client.get("/search/?q=cramp").content == page.content
    assert b"<html" not in client.get("/search/?q=cramp", headers={"HX-Request": "true"}).content


PUBLIC = ["/", "/conditions/", URL, "/search/?q=cramp", "/self-care/", "/when-to-get-help/"]


def _stored(url: str) -> bool:
    """Whether the page cache holds a copy of `url` for the current content version."""
    return cache.get(cache_key(RequestFactory().get(url), version.current())) is not None


@pytest.mark.parametrize("url", [*PUBLIC, "/about/", "/tests-a-doctor-may-do/"])
def test_public_pages_are_served_from_the_cache(client: Client, url: str) -> None:
    first = client.get(url)
    assert _stored(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1, url  # the content version only
    assert second.content == first.content


@pytest.mark.parametrize("url", ["/check/", "/admin/login/", "/robots.txt"])
def test_checker_admin_and_robots_are_never_stored(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200
    assert not _stored(url)


def test_anyone_with_a_cookie_gets_a_fresh_page_never_a_shared_copy(client: Client) -> None:
    client.get(URL)  # stored for everyone
    Condition.objects.filter(slug="leg-cramps").update(summary="Changed behind the cache.")
    # The view's own kept copy of the condition (test_condition_cache.py) is not what
    # this is about: only the shared page must not reach them.
    condition_cache.forget()
    cookies = [settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name, state.COOKIE]
    for name in cookies:
        person = Client()
        person.cookies[name] = "x"
        assert b"Changed behind the cache." in person.get(URL).content, name
    csrf_only = Client()
    csrf_only.cookies[settings.CSRF_COOKIE_NAME] = "x"
    assert b"Changed behind the cache." not in csrf_only.get(URL).content


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
