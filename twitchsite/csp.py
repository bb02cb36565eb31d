"""django-csp's middleware, without building the same policy again for every response.

django-csp builds the Content-Security-Policy header afresh for each response, so that a
view may change it (its decorators) or use a nonce. That cost a checker page a twelfth of
its time in-process, and the site uses neither. A response that asks for no change gets
the policy as written once per process (twitchsite/headers.py: the same header every
other response and nginx's copy carry); anything else goes through django-csp unchanged.
"""

from __future__ import annotations

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from twitchsite.headers import content_security_policy

# What a view's django-csp decorators leave on its response.
PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
PER_VIEW_REPORT_ONLY = tuple(f"{name}_ro" for name in PER_VIEW)


def _as_configured(request: HttpRequest, response: HttpResponseBase) -> bool:
    """The response takes the settings' policy as it is: no nonce, no decorator, no
    report-only policy or excluded paths, and not a debug page django-csp leaves alone."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return not (
        settings.DEBUG
        or getattr(request, "_csp_nonce", None) is not None
        or any(hasattr(response, name) for name in PER_VIEW + PER_VIEW_REPORT_ONLY)
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or policy.get("EXCLUDE_URL_PREFIXES")
    )


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not _as_configured(request, response):
            return super().process_response(request, response)
        response.headers.setdefault(HEADER, content_security_policy())
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
