"""At most LIMIT feedback answers per client in WINDOW seconds, counted in the cache only.

The count is kept under a salted HMAC of the client's address (twitchsite/client_ip.py,
which knows the proxies in front), never the address itself, and expires with the window:
nothing about the client reaches the database, and the cache forgets it within minutes.
With REDIS_URL every server shares the count; without it each process counts its own.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from twitchsite.client_ip import client_ip

LIMIT = 5
WINDOW = 10 * 60  # seconds
SALT = "feedback.ratelimit"


def _key(request: HttpRequest) -> str:
    return f"feedback-rate:{salted_hmac(SALT, client_ip(request)).hexdigest()[:32]}"


def allow(request: HttpRequest) -> bool:
    """Count one answer from this client; False once it has sent LIMIT in this window."""
    key = _key(request)
    cache.add(key, 0, WINDOW)  # starts the window; does nothing if it is running
    try:
        count = cache.incr(key)
    except ValueError:  # the window ran out between add() and incr()
        cache.set(key, 1, WINDOW)
        count = 1
    return count <= LIMIT
