"""Error pages for bad requests, rendered with the site's layout and a way forward.

Django's own 400 and CSRF pages render without the request (so without the emergency
number) and in the CSRF case with technical wording; a person who sent something odd, or
whose form went stale, should get a plain page linking back to the checker.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


class FriendlyMethodNotAllowed:
    """Django's @require_GET/@require_POST answer 405 with an empty body; give people a page.

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
