"""twitchsite/csp.py: django-csp's policy, written once per process when nothing asks for a
change; a view that changes it still gets django-csp's own header."""

from __future__ import annotations

import pytest
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from twitchsite.csp import CSPMiddleware


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


def through_middleware(view: object, request: HttpRequest) -> HttpResponse:
    middleware = CSPMiddleware(view)  # type: ignore[arg-type]
    return middleware(request)  # type: ignore[return-value]


@pytest.mark.django_db
def test_a_page_gets_the_policy_django_csp_builds_from_the_settings(client: Client) -> None:
    header = client.get("/check/").headers["Content-Security-Policy"]
    assert directives(header) == directives(build_policy())


def test_a_view_that_changes_the_policy_gets_django_csps_header() -> None:
    @csp_update({"img-src": ["https://maps.example"]})
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("a map")

    response = through_middleware(view, RequestFactory().get("/map/"))
    policy = directives(response.headers["Content-Security-Policy"])
    assert "https://maps.example" in policy["img-src"]
    assert policy["script-src"] == ["'self'"]
