"""The site as gunicorn serves it: HEAD answers every public page without a body, every
response (static files and error pages included) carries the security headers, /healthz
answers, and the checker's addresses and access log lines hold nothing personal."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import secrets
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from harness.server import Server, prepare, site_env
from triage.tests.helpers import VIGNETTES, drive

pytestmark = pytest.mark.servers
PUBLIC = ["/", "/conditions/", "/conditions/leg-cramps/", "/self-care/", "/when-to-get-help/",
          "/tests-a-doctor-may-do/", "/search/?q=cramp", "/check/", "/check/how-we-test/",
          "/about/", "/robots.txt", "/sitemap.xml"]  # fmt: skip


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("served")
    env = site_env(
        database_url=f"sqlite:///{tmp / 'db.sqlite3'}",
        static_root=tmp / "static",
        secret_key="served-" + secrets.token_hex(16),
    )
    prepare(env)
    with Server(env, workers=2, access_log=tmp / "access.log") as server:
        yield server


def request(
    server: Server, method: str, path: str, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", PUBLIC)
def test_head_answers_every_public_page_with_headers_and_no_body(served: Server, path: str) -> None:
    status, headers, body = request(served, "HEAD", path)
    get_status, get_headers, _ = request(served, "GET", path)
    assert (status, get_status) == (200, 200), path
    assert body == b""
    assert headers["content-type"] == get_headers["content-type"]


def _stylesheet(served: Server) -> str:
    _, _, html = request(served, "GET", "/")
    found = re.search(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assert found
    return found.group(1).decode()


def test_every_response_carries_the_security_headers(served: Server) -> None:
    responses = {
        path: request(served, "GET", path)
        for path in [*PUBLIC, _stylesheet(served), "/static/no-such-file.css", "/no-such-page/"]
    }
    responses["405"] = request(served, "OPTIONS", "/conditions/")
    responses["403"] = request(served, "POST", "/check/1/", b"step=emergency")  # no CSRF token
    for where, (_, headers, _) in responses.items():
        assert "default-src 'self'" in headers.get("content-security-policy", ""), where
        assert "frame-ancestors 'none'" in headers["content-security-policy"], where
        assert headers.get("x-content-type-options") == "nosniff", where
        if headers.get("content-type", "").startswith("text/html"):
            assert "camera=()" in headers.get("permissions-policy", ""), where
    assert responses["405"][0] == 405 and b"<h1" in responses["405"][2]
    assert responses["403"][0] == 403


def test_healthz_answers_uncached_whatever_the_host(served: Server) -> None:
    for host in ["127.0.0.1", "10.1.2.3:8000", "not-allowed.example"]:
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
        connection.request("GET", "/healthz", headers={"Host": host})
        response = connection.getresponse()
        assert response.status == 204, host
        assert "no-store" in (response.getheader("Cache-Control") or "")
        assert response.read() == b""
        connection.close()


class _Recorder(urllib.request.HTTPRedirectHandler):
    """Follows redirects and remembers every address the browser was sent to."""

    def __init__(self, visited: list[str]) -> None:
        self.visited = visited

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        self.visited.append(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _walk(served: Server, findings: list[str]) -> list[str]:
    """One person's walk through the checker: every address their browser showed."""
    visited: list[str] = []
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Recorder(visited)
    )

    def get(url: str) -> tuple[str, str]:
        with opener.open(urljoin(served.url, url), timeout=30) as response:
            return response.url, response.read().decode()

    def post(url: str, fields: dict[str, list[str]]) -> tuple[str, str]:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        with opener.open(urljoin(served.url, url), data=data, timeout=30) as response:
            return response.url, response.read().decode()

    drive(get, post, findings)
    return [urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
            for url in visited]  # fmt: skip


def test_the_checkers_addresses_and_log_lines_hold_no_answers(served: Server) -> None:
    """Two people with different answers (one shown a follow-up page about back pain) see
    the same address at each place of their walk, and no access log line of the checker
    has a query string."""
    by_id = {c["id"]: c for c in VIGNETTES}
    twitch = _walk(served, by_id["C01"]["findings"])
    back_pain = _walk(served, by_id["B18"]["findings"])
    assert len(back_pain) == len(twitch) + 1  # the follow-up page
    assert back_pain[: len(twitch) - 2] == twitch[:-2]  # the same until the end
    assert all(re.fullmatch(r"/check/(\d+/|answers/|result/)", p) for p in twitch + back_pain)
    log = Path(served.access_log or "").read_text()
    checker_lines = [line for line in log.splitlines() if " /check/" in line]
    assert len(checker_lines) > 20 and not [line for line in checker_lines if "?" in line]
