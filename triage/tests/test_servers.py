"""Any app server sharing only SECRET_KEY and the database can serve any step: two real
gunicorn servers take turns serving the requests of one person's checker session."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import skip_or_fail
from triage.tests.helpers import ROOT, VIGNETTES, drive

pytestmark = pytest.mark.servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        skip_or_fail("gunicorn is not installed in this environment")
    tmp = tmp_path_factory.mktemp("servers")
    # A settings module of our own: the repo's settings, static files collected into tmp.
    (tmp / "servers_settings.py").write_text(
        f"from twitchsite.settings import *  # noqa: F403\nSTATIC_ROOT = {str(tmp / 'static')!r}\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "servers_settings",
        "DJANGO_SECRET_KEY": "two-servers-one-secret-" + os.urandom(8).hex(),
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    for args in (["migrate", "--noinput"], ["load_content"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *args, "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    processes, bases = [], []
    try:
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [str(gunicorn), "twitchsite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
            wait_until_up(bases[-1] + "/check/", process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


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
def test_one_session_alternates_between_two_servers(two_servers: list[str], case: dict) -> None:  # type: ignore[type-arg]
    browser = Alternating(two_servers)
    page = drive(browser.get, browser.post, case["findings"])
    assert page.urgency == case["expect"]
    assert set(browser.served_by) == set(two_servers)
    assert len(browser.served_by) >= 10
