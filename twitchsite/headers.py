"""Security headers on every response, whatever made it.

django-csp and SecurityMiddleware set them on the responses that pass through them, but
some are made outside: static files (WhiteNoise answers before django-csp runs), the
friendly 405 page (made after django-csp has run), error pages of other middleware. This
middleware, first in MIDDLEWARE and so the last to see each response, fills in whatever
is missing: the site's Content-Security-Policy, `X-Content-Type-Options: nosniff` and a
`Permissions-Policy` that switches off every browser feature the site never uses.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# Nothing on the site needs a camera, a location, payments... so nothing may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "browsing-topics", "camera", "display-capture", "geolocation",
        "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


@cache
def content_security_policy() -> str:
    """The policy of settings.CONTENT_SECURITY_POLICY, as django-csp writes it."""
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
