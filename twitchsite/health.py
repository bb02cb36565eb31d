"""/healthz for load balancers: is this server able to serve pages?

Answered by middleware placed just after the security headers, before anything that
could refuse or slow it: the host check (balancers probe by IP address), sessions, the
page cache, the login lockouts. It reads nothing of the content and is never cached:
one `SELECT 1` and one cache round trip. 204 when both work; 503 naming what failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"
log = logging.getLogger("twitchsite.health")


def check() -> list[str]:
    """What does not work: [] when the database and the cache both answer."""
    failed = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy", said below
        log.exception("health check: the database did not answer")
        failed.append("database")
    try:
        cache.set("healthz", 1, timeout=10)
        if cache.get("healthz") != 1:
            raise RuntimeError("the cache did not keep a value")
    except Exception:  # noqa: BLE001
        log.exception("health check: the cache did not answer")
        failed.append("cache")
    return failed


def healthz(request: HttpRequest) -> HttpResponse:
    if request.method not in {"GET", "HEAD"}:
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return response
    failed = check()
    if failed:
        response = HttpResponse(
            f"unhealthy: {', '.join(failed)}\n", status=503, content_type="text/plain"
        )
    else:
        response = HttpResponse(status=204)
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info in {PATH, PATH + "/"}:
            return healthz(request)
        return self.get_response(request)
