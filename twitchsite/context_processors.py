"""Values every template may need, in every page's header and footer: the site's own
links (content's and the checker's), its name and the emergency number."""

from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# The links in every page's header and footer (templates/base.html).
SITE_URL_NAMES = [
    "content:home", "content:search", "content:condition_list", "content:remedies",
    "content:get_help", "content:tests", "content:about", "content:editorial_policy",
    "content:privacy", "content:disclaimer", "content:accessibility", "triage:start",
    # and the checker's own links, on every checker page
    "triage:begin", "triage:answers", "triage:result", "triage:summary", "triage:restart",
    "triage:audit",
]  # fmt: skip


@cache
def site_urls() -> dict[str, str]:
    """Resolved once per process: the URLconf does not change while it runs, and these
    reverse() calls were a quarter of the time to render a checker step."""
    return {name.split(":")[1]: reverse(name) for name in SITE_URL_NAMES}


def site_values() -> dict[str, object]:
    """Values every template may need: the emergency number, the site's name, its links."""
    return {
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "SITE_NAME": settings.SITE_NAME,
        "site_urls": site_urls(),
    }


def site(request: HttpRequest) -> dict[str, object]:
    return site_values()
