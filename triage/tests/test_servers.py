"""Any app server sharing only SECRET_KEY and the database can serve any step: two real
gunicorn servers take turns serving the requests of one person's checker session."""

from __future__ import annotations

import contextlib
import http.cookiejar
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from harness.server import Server, prepare, site_env
from triage.tests.helpers import VIGNETTES, drive

pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two gunicorn servers sharing only the secret key and one database."""
    tmp = tmp_path_factory.mktemp("servers")
    env = site_env(
        database_url=f"sqlite:///{tmp / 'db.sqlite3'}",
        static_root=tmp / "static",
        secret_key="two-servers-one-secret-" + secrets.token_hex(8),
    )
    prepare(env)
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(Server(env, workers=1)).url for _ in range(2)]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Alternating:
    """A browser whose every request goes to the other server (cookies kept)."""

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.turn = 0
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.served_by: list[str] = []

    def _send(self, path: str, data: bytes | None) -> tuple[str, str]:
        while True:
            base = self.bases[self.turn % len(self.bases)]
            self.turn += 1
            self.served_by.append(base)
            request = urllib.request.Request(base + path, data=data)
            try:
                with self.opener.open(request, timeout=30) as response:
                    assert response.status == 200, (path, response.status)
                    assert "no-store" in response.headers["Cache-Control"]
                    return path, response.read().decode()
            except urllib.error.HTTPError as error:
                if error.code not in (301, 302, 303):
                    raise AssertionError(f"{path}: {error.code} {error.read()[:500]!r}") from error
                path, data = urllib.parse.urlsplit(error.headers["Location"]).path, None

    def get(self, path: str) -> tuple[str, str]:
        return self._send(path, None)

    def post(self, path: str, fields: dict[str, list[str]]) -> tuple[str, str]:
        return self._send(path, urllib.parse.urlencode(fields, doseq=True).encode())


@pytest.mark.parametrize(
    "case", [c for c in VIGNETTES if c["id"] in {"U05", "R06"}], ids=lambda c: c["id"]
)
def test_one_session_alternates_between_two_servers(
    two_servers: list[str], case: dict[str, Any]
) -> None:
    browser = Alternating(two_servers)
    page = drive(browser.get, browser.post, case["findings"])
    assert page.urgency == case["expect"]
    assert set(browser.served_by) == set(two_servers)
    assert len(browser.served_by) >= 10
