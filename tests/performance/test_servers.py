"""Real gunicorn servers, as production runs them (harness/server.py): page weight, static
file headers, and an admin edit showing at once on two servers, with and without Redis."""

from __future__ import annotations

import gzip
import re
import secrets
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import brotli
import pytest
import redis

from conftest import skip_or_fail
from harness.server import Server, manage, prepare, site_env

pytestmark = pytest.mark.servers

PAGE = "/conditions/leg-cramps/"
BUDGET = 40 * 1024  # HTML + CSS + JS of a condition page, compressed, htmx included
ONE_YEAR = "max-age=315360000"
REDIS_URL = "redis://127.0.0.1:6379/7"
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request, with nothing decompressed: what goes over the wire."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    encoding = headers.get("content-encoding")
    if encoding == "br":
        return bytes(brotli.decompress(body))
    return gzip.decompress(body) if encoding == "gzip" else body


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A database file with the real content and collected static files, shared by every
    server in this module (as several servers share one database in production)."""
    tmp = tmp_path_factory.mktemp("site")
    env = site_env(f"sqlite:///{tmp}/site.sqlite3", tmp / "static")
    prepare(env)
    return env


@pytest.fixture(scope="module")
def server(site: dict[str, str]) -> Iterator[str]:
    with Server(site, workers=2) as running:
        yield running.url


def test_a_condition_page_is_light_one_stylesheet_no_fonts(server: str) -> None:
    status, headers, body = fetch(server + PAGE, BROWSER)
    assert status == 200
    html = decoded(headers, body).decode()
    sizes = {PAGE: len(body)}
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert len(stylesheets) == 1, stylesheets
    assert not re.search(r"\.(woff2?|ttf|otf|eot)\b|fonts\.googleapis", html)
    for asset in stylesheets + scripts:
        status, headers, body = fetch(server + asset, BROWSER)
        assert status == 200, asset
        assert headers.get("content-encoding") in {"br", "gzip"}, asset
        sizes[asset] = len(body)
        if asset in stylesheets:
            css = decoded(headers, body).decode()
            assert "@font-face" not in css and "@import" not in css
    assert sum(sizes.values()) <= BUDGET, sizes


def test_static_files_are_hashed_compressed_and_cached_for_a_year(server: str) -> None:
    _, headers, body = fetch(server + "/", BROWSER)
    html = decoded(headers, body).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", asset), f"not hashed: {asset}"
        for encoding in ("br", "gzip"):
            _, headers, _ = fetch(server + asset, {"Accept-Encoding": encoding})
            assert headers.get("content-encoding") == encoding, asset
            assert ONE_YEAR in headers["cache-control"], headers["cache-control"]
            assert "immutable" in headers["cache-control"]


def edit_summary(site: dict[str, str], text: str) -> None:
    """An editor's change, saved through the ORM as the admin saves it (signals and all)."""
    code = (
        "from content.models import Condition; "
        "c = Condition.objects.get(slug='leg-cramps'); "
        f"c.summary = {text!r}; c.save()"
    )
    manage(site, "shell", "-c", code)


# A reader with a cookie: past the page cache, served from each process's kept condition
# pages (content/condition_cache.py).
WITH_COOKIE = {**BROWSER, "Cookie": "seen-before=1"}


def pages(base_urls: list[str], times: int = 8) -> list[bytes]:
    """The condition page, several times from each server (so every worker answers), to
    readers without a cookie and with one."""
    return [
        decoded(*fetch(base + PAGE, headers)[1:])
        for base in base_urls
        for headers in (BROWSER, WITH_COOKIE)
        for _ in range(times)
    ]


@pytest.mark.parametrize("shared_cache", [False, True], ids=["own-memory-caches", "redis"])
def test_an_edit_shows_at_once_on_two_servers(site: dict[str, str], shared_cache: bool) -> None:
    env = dict(site)
    if shared_cache:
        try:
            redis.Redis.from_url(REDIS_URL).flushdb()
        except redis.ConnectionError:
            skip_or_fail("no Redis at 127.0.0.1:6379")
        env["REDIS_URL"] = REDIS_URL
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(env, workers=2)).url for _ in range(2)]
        for _ in range(2):
            marker = f"Edited in the admin {secrets.token_hex(4)}."
            edit_summary(site, marker)
            # Every worker of both servers answers, and keeps the page (and the condition)...
            assert all(marker.encode() in page for page in pages(servers))
        # ...and the next edit still shows at once everywhere (the loop's second turn).


def test_the_benchmark_and_lighthouse_scripts_import(tmp_path: Path) -> None:
    """The scripts `make bench` and `make lighthouse` run are not run here (they take
    minutes), but must at least load and parse their options."""
    from bench import lighthouse, run

    with pytest.raises(SystemExit) as exit_info:
        run.main(["--help"])
    assert exit_info.value.code == 0
    with pytest.raises(SystemExit) as exit_info:
        lighthouse.main(["--help"])
    assert exit_info.value.code == 0
