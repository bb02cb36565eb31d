"""Browser tests: Playwright drives Debian's Chromium against a real server of the site.

The site runs as gunicorn in a subprocess (harness/server.py, the launcher the benchmark and
the load test use) with its own database (a SQLite file, or a PostgreSQL database named
after DATABASE_URL's with `_browser` added), migrated and loaded with all content once per
session, and its own collected static files. Why not
pytest-django's `live_server`: its tests need `transactional_db`, which empties every table
after each test and so wipes the content the rest of the suite expects; and a real server
serves hashed, compressed static files the way production does.

Chromium and axe-core are prerequisites: without them a person's `make test` skips these
tests with a notice, and CI (CI=true) fails.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from conftest import skip_or_fail
from harness.server import Server, manage, postgres_database, prepare, site_env

from .pagecheck import AXE_JS

BASE_DIR: Path = settings.BASE_DIR
CHROMIUM = Path("/usr/bin/chromium")
# The Playwright browser download cannot work here: Debian's Chromium, kept quiet and offline.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
# 400% zoom of a 1280 px screen (WCAG 1.4.10 Reflow): only the test that walks every page
# type at this width uses it, so it is not one of the SIZES every page test runs at.
NARROW = "narrow"
VIEWPORTS: dict[str, dict[str, Any]] = {
    **SIZES,
    NARROW: {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
}
SCREENSHOTS = pytest.StashKey[Path]()


@dataclass(eq=False)  # hashed by identity: one per session
class Site:
    """The running site: its address, and `manage.py` against the same database."""

    url: str
    env: dict[str, str]
    admin_username: str = "browser-editor"
    admin_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    def owns(self, url: str) -> bool:
        """True for this site's own origin (and data:/blob:, which never leave the browser)."""
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        return parts.scheme == "http" and parts.netloc == self.netloc

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done.stdout


@pytest.fixture(scope="session")
def _prerequisites() -> None:
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing: apt-get install chromium")
    if not AXE_JS.exists():
        skip_or_fail(f"{AXE_JS.relative_to(BASE_DIR)} is missing: run `npm ci` at the repo root")


@contextmanager
def _own_database(tmp: Path) -> Iterator[str]:
    """A database for the server alone: never the one other tests roll back in."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'site.sqlite3'}"
        return
    # One per pytest-xdist worker, should anyone run the suite with -n.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    with postgres_database(f"{urlsplit(url).path.lstrip('/')}_browser{worker}", url) as own:
        yield own


@pytest.fixture(scope="session")
def site(_prerequisites: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("browser-site")
    with _own_database(tmp) as database_url:
        env = site_env(database_url, tmp / "static")
        prepare(env)
        password = secrets.token_urlsafe(18)
        manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": password},
            "createsuperuser",
            "--noinput",
            f"--username={Site.admin_username}",
            "--email=editor@example.com",
        )
        with Server(env, workers=2, threads=4, log=tmp / "server.log") as server:
            yield Site(url=server.url, env=env, admin_password=password)


@pytest.fixture(scope="session")
def browser(_prerequisites: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Between calls Playwright's sync API marks its event loop as running in this thread,
    # and Django then refuses any database call (SynchronousOnlyOperation), though nothing
    # here is async (the project has no async code): so the tests that run on this worker
    # after a browser test may use the database. Servers never see this (site_env()).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Requests to any other host go to a "proxy" on a port that refuses every connection, so
    # they fail and are never sent (Browsing records them). Not context.route(): routing turns
    # off the browser's cache (each page fetched its stylesheet and scripts again) and sends
    # every request through Python to be matched, which made a checker walk a third slower.
    with socket.socket() as refusing, sync_playwright() as playwright:
        refusing.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=LAUNCH_ARGS,
            proxy={
                "server": f"http://127.0.0.1:{refusing.getsockname()[1]}",
                "bypass": "127.0.0.1",  # the site itself
            },
        )
        yield chromium
        chromium.close()


@dataclass
class Browsing:
    """Opens pages in fresh contexts and watches every request and script error they cause."""

    browser: Any
    site: Site
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def open(self, size: str = "desktop", *, javascript: bool = True) -> Any:
        context = self.browser.new_context(
            base_url=self.site.url, java_script_enabled=javascript, **VIEWPORTS[size]
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        # Requests to any other host are recorded here, and never sent (the browser fixture).
        context.on("request", self._record)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"script error: {error}"))
        page.on("console", self._console)
        return page

    def _record(self, request: Any) -> None:
        if not self.site.owns(request.url):
            self.offsite.append(request.url)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")

    def assert_clean(self) -> None:
        assert not self.offsite, f"requests left {self.site.netloc}: {self.offsite}"
        assert not self.errors, "\n".join(self.errors)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser: Any, site: Site) -> Iterator[Browsing]:
    """Every browser test fails if a page asks another host for anything or a script fails."""
    watcher = Browsing(browser, site)
    yield watcher
    watcher.close()
    watcher.assert_clean()


@pytest.fixture
def open_page(browsing: Browsing) -> Callable[..., Any]:
    return browsing.open


@pytest.fixture(scope="session")
def screenshot_dir(pytestconfig: pytest.Config) -> Path:
    named = os.environ.get("TWITCH_SCREENSHOT_DIR")
    run_id = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    path = Path(named) if named else BASE_DIR / "test-artifacts" / "screenshots" / run_id
    path.mkdir(parents=True, exist_ok=True)
    pytestconfig.stash[SCREENSHOTS] = path
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    path = terminalreporter.config.stash.get(SCREENSHOTS, None)
    if path and any(path.iterdir()):
        terminalreporter.write_line(f"Screenshots and printed summaries: {path}", bold=True)
