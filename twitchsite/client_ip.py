"""The client's address for django-axes lockouts.

Behind N trusted proxies the real client is the Nth address from the right of
X-Forwarded-For; anything further left was written by the client and cannot be trusted.
Without this, every login seems to come from the proxy, and a stranger's failed logins
would lock an editor out everywhere.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote: str = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    return hops[-count] if len(hops) >= count else remote
