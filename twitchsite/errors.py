"""Error pages for bad requests, rendered with the site's layout and a way forward.

Django's own 400 and CSRF pages render without the request (so without the emergency
number) and in the CSRF case with technical wording; a person who sent something odd, or
whose form went stale, should get a plain page linking back to the checker.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
