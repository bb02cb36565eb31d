"""Login lockouts key on the real client, not the proxy in front of the site."""

import pytest
from django.test import RequestFactory, override_settings

from twitchsite.client_ip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy configured: forwarded header ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a client-written entry is skipped
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: fall back
    ],
)
def test_client_ip_behind_proxies(proxies: int, forwarded: str, expected: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(PROXY_COUNT=proxies):
        assert client_ip(request) == expected
