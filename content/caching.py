"""A whole-page cache for the public content pages, keyed by the content version.

Every content edit bumps one number (content/version.py). A cached page is found under a
key that includes that number, so a request costs one cheap query (read the number) plus
one cache read, and an edit in the admin shows at once on every server: with REDIS_URL all
servers share the cache, without it each process keeps its own, and either way the new
number means new keys. Old entries simply expire.

Views opt in with `@cache_page_by_version` (applied in content/urls.py). The work is done
by `PageCacheMiddleware`, placed just after WhiteNoise, so that a cached page skips the
rest of the middleware (sessions, CSRF, messages, CSP, axes...) whose headers were stored
with it: that is what makes a cached page nearly as cheap as a static file. Cached pages
are stored brotli- and gzip-compressed too (they hold no secret, so compression is safe
here), and each reader gets the smallest their browser accepts.

Only what is the same for every reader is cached: GET requests without cookies (other than
the CSRF cookie), 200 responses that set no cookie, vary on no cookie, used no CSRF token
and are not marked private. Editors (a session cookie), pending messages and the checker
(its own cookie, and not decorated) always get a fresh page.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.cache import cc_delim_re, patch_vary_headers

from content import version

# Pages can show today's date (review due), so even unchanged content is rebuilt now and then.
CACHE_SECONDS = 10 * 60
# Requests for different fragments of a page (htmx) are cached apart.
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-Target")
MARK = "cache_page_by_version"
# "gzip;q=0.8" accepts gzip, "br;q=0" refuses brotli.
CODING = re.compile(r"^\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")
# Smaller pages are not worth compressing (one network packet either way).
MIN_COMPRESS = 1000

View = Callable[..., HttpResponseBase]
# status, headers, the page, and the page compressed, by Content-Encoding ("br", "gzip")
Entry = tuple[int, list[tuple[str, str]], bytes, dict[str, bytes]]


def cache_page_by_version(view: View) -> View:
    """Mark a view whose page is the same for every reader until the content changes."""

    @wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, *args, **kwargs)

    setattr(cached_view, MARK, True)
    return cached_view


def cache_key(request: HttpRequest, version: int) -> str:
    varies = "|".join(request.headers.get(name, "") for name in VARY_HEADERS)
    # Host and scheme too: canonical links and JSON-LD use absolute addresses.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{varies}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    # "page2": entries hold brotli as well as gzip; a server still running the code before
    # that reads none of them.
    return f"page2:{version}:{digest}"


def is_personal(request: HttpRequest) -> bool:
    """Requests whose page may differ per person: any cookie but the CSRF one."""
    return bool(set(request.COOKIES) - {settings.CSRF_COOKIE_NAME})


def is_shareable(request: HttpRequest, response: HttpResponseBase) -> bool:
    cache_control = response.get("Cache-Control", "")
    varies = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
        and "cookie" not in varies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _opted_in(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return bool(getattr(match.func, MARK, False))


def accepted_codings(accept_encoding: str) -> set[str]:
    """Which of our codings ("br", "gzip") a request's Accept-Encoding allows: q=0 refuses
    one, and "*" stands for every coding it does not name."""
    quality: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        match = CODING.match(part)
        if match is not None:
            try:
                quality[match.group(1)] = float(match.group(2) or 1)
            except ValueError:  # "q=1.2.3": ignore that part, as browsers would
                continue
    return {c for c in ("br", "gzip") if quality.get(c, quality.get("*", 0)) > 0}


def _entry(response: HttpResponse) -> Entry:
    content = response.content
    compressed: dict[str, bytes] = {}
    if len(content) >= MIN_COMPRESS and not response.has_header("Content-Encoding"):
        # Compressed once per page and content version, so the best (slowest) levels pay.
        compressed["br"] = brotli.compress(content, mode=brotli.MODE_TEXT, quality=11)
        compressed["gzip"] = gzip.compress(content, compresslevel=9, mtime=0)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response.status_code, list(response.items()), content, compressed


def _respond(request: HttpRequest, entry: Entry) -> HttpResponse:
    status, headers, content, compressed = entry
    accepted = accepted_codings(request.headers.get("Accept-Encoding", ""))
    coding = next((c for c in ("br", "gzip") if c in compressed and c in accepted), None)
    response = HttpResponse(compressed[coding] if coding else content, status=status)
    for name, value in headers:
        response[name] = value
    if coding:
        response["Content-Encoding"] = coding
    response["Content-Length"] = str(len(response.content))
    return response


class PageCacheMiddleware:
    """Serve opted-in pages from the cache, before the rest of the middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "GET" or is_personal(request) or not _opted_in(request):
            return self.get_response(request)
        key = cache_key(request, version.current())
        entry: Any = cache.get(key)
        if entry is not None:
            return _respond(request, entry)
        response = self.get_response(request)
        if not is_shareable(request, response):
            return response
        assert isinstance(response, HttpResponse)
        entry = _entry(response)
        cache.set(key, entry, CACHE_SECONDS)
        return _respond(request, entry)
