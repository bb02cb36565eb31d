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
are stored gzip-compressed too (they hold no secret, so compression is safe here).

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
GZIP = re.compile(r"\bgzip\b")
# Smaller pages are not worth compressing (one network packet either way).
MIN_COMPRESS = 1000

View = Callable[..., HttpResponseBase]
Entry = tuple[int, list[tuple[str, str]], bytes, bytes | None]


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
    return f"page:{version}:{digest}"


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


def _entry(response: HttpResponse) -> Entry:
    content = response.content
    compressed = None
    if len(content) >= MIN_COMPRESS and not response.has_header("Content-Encoding"):
        compressed = gzip.compress(content, compresslevel=9, mtime=0)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response.status_code, list(response.items()), content, compressed


def _respond(request: HttpRequest, entry: Entry) -> HttpResponse:
    status, headers, content, compressed = entry
    use_gzip = compressed is not None and GZIP.search(request.headers.get("Accept-Encoding", ""))
    response = HttpResponse(compressed if use_gzip else content, status=status)
    for name, value in headers:
        response[name] = value
    if use_gzip:
        response["Content-Encoding"] = "gzip"
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
