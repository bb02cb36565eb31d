"""Error pages, rendered with the site's layout and a way forward.

Django's own 400 and CSRF pages render without the request (so without the emergency
number) and in the CSRF case with technical wording; a person who sent something odd, or
whose form went stale, should get a plain page linking back to the checker. The 404 page is
Django's default handler with our templates/404.html. The 500 page uses no request context
and no database, in case either is what broke.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        html = loader.get_template("500.html").render(
            {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER, "SITE_NAME": settings.SITE_NAME}
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        html = (
            "<!doctype html><title>Sorry, something went wrong</title>"
            "<h1>Sorry, something went wrong</h1>"
            f"<p>In an emergency call {settings.EMERGENCY_NUMBER}.</p>"
        )
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


class FriendlyMethodNotAllowed:
    """Django's @require_safe/@require_POST answer 405 with an empty body; give people a page.

    The Allow header is kept, so clients still learn which methods work.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
