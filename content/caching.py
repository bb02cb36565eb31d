"""A whole-page cache for the public content pages, keyed by the content version.

Every content edit bumps one number (content/signals.py). A cached page is found under a
key that includes that number, so each request costs one cheap query (read the number)
plus one cache read, and an edit in the admin shows at once on every server: with
REDIS_URL all servers share the cache, without it each process keeps its own, and either
way the new number means new keys. Old entries simply expire.

Only what is the same for every reader is cached: GET requests without cookies (other
than the CSRF cookie), 200 responses that set no cookie, used no CSRF token and are not
marked private. Editors (a session cookie), pending messages and the checker (its own
cookie, and not decorated) always get a fresh page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from content.signals import current_version

# Pages can show today's date (review due), so even unchanged content is rebuilt now and then.
CACHE_SECONDS = 10 * 60
# Requests for different fragments of a page (htmx) are cached apart.
VARY_HEADERS = ("HX-Request", "HX-Boosted", "HX-Target")

View = Callable[..., HttpResponseBase]


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
    return (
        response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def cache_page_by_version(view: View) -> View:
    """Serve the view's page from the cache while the content version is unchanged."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "GET" or is_personal(request):
            return view(request, *args, **kwargs)
        key = cache_key(request, current_version())
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if is_shareable(request, response):
            assert isinstance(response, HttpResponse)
            cached = (response.status_code, list(response.items()), response.content)
            cache.set(key, cached, CACHE_SECONDS)
        return response

    return wrapper
