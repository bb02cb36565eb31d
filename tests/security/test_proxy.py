"""The production stack, attacked and restarted: nginx (deploy/nginx.conf, rendered by
harness/proxy.py) in front of two gunicorn app servers (deploy/gunicorn.conf.py) sharing one
secret key, one PostgreSQL database and Redis.

- Slow clients hold connections to nginx, not to the app servers: a person still gets each
  page before they give up waiting. The same clients sent straight to an app server stall it.
- Too large a request body is refused by nginx with a plain page of the site's own.
- Static files come from nginx, cached for good; no log keeps a query string.
- An app server restarted under load costs no request: nginx passes it to the other one,
  a POST included when the connection was refused.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import secrets
import select
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from types import TracebackType

import pytest
import redis

from conftest import skip_or_fail
from harness import wizard
from harness.proxy import PAGES, Stack, nginx_available, running_stack
from harness.server import Server, postgres_available, postgres_database
from twitchsite.headers import PERMISSIONS_POLICY, content_security_policy

pytestmark = [pytest.mark.servers, pytest.mark.postgres]

REDIS_URL = "redis://127.0.0.1:6379/8"  # this module's own (tests/performance uses 7)
PAGE_PATHS = ["/", "/conditions/", "/check/", "/conditions/leg-cramps/"]
SLOW_CLIENTS = 20
PATIENCE = 3.0  # seconds a person waits for a page before giving up (both tests' timeout)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not nginx_available():
        skip_or_fail("no nginx at /usr/sbin/nginx (apt-get install nginx)")
    if not postgres_available():
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    try:
        # Page cache keys hold the host and port, and ports come round again: an earlier
        # run's pages must not show.
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.ConnectionError:
        skip_or_fail("no Redis at 127.0.0.1:6379")
    work = tmp_path_factory.mktemp("stack")
    with (
        postgres_database(f"twitch_proxy_{os.getpid()}") as database_url,
        running_stack(work, database_url, REDIS_URL, servers=2, workers=2, threads=4) as running,
    ):
        yield running


def say(text: str) -> None:
    """The figures measured (shown with `pytest -s`, and with a failure's output)."""
    sys.stdout.write(text + "\n")


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode()


def timed_get(url: str, timeout: float = 5) -> float:
    """Seconds until the whole page arrived (200); TimeoutError if it took over `timeout`."""
    started = time.monotonic()
    status, _ = get(url, timeout=timeout)
    assert status == 200, url
    return time.monotonic() - started


class SlowClients:
    """`count` clients on one port that never finish a request (slowloris): each sends a
    request line, then one more header line every `pause` seconds. A client the server
    hangs up on connects again and starts over; `dropped` counts those."""

    def __init__(self, port: int, count: int = SLOW_CLIENTS, pause: float = 1.0) -> None:
        self.port, self.count, self.pause = port, count, pause
        self.sockets: list[socket.socket] = []
        self.dropped = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n".encode())
        return sock

    def _run(self) -> None:
        while not self._stop.wait(self.pause):
            # A socket that turns readable was answered (408) or closed by the server.
            readable, _, _ = select.select(self.sockets, [], [], 0)
            for n, sock in enumerate(self.sockets):
                try:
                    if sock in readable:
                        raise ConnectionError("closed by the server")
                    sock.sendall(f"X-Slow-{n}: a\r\n".encode())
                except OSError:
                    sock.close()
                    self.dropped += 1
                    self.sockets[n] = self._open()

    def __enter__(self) -> SlowClients:
        self.sockets = [self._open() for _ in range(self.count)]
        self._thread.start()
        time.sleep(2 * self.pause)  # each has sent a line or two more: mid-request
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()


def test_slow_clients_hold_nginx_while_every_page_still_arrives(stack: Stack) -> None:
    # Whether a page arrives, not how fast (speed is make bench's): the same clients sent
    # straight to gunicorn (the next test) leave a person with no page at all.
    times: dict[str, list[float]] = {path: [] for path in PAGE_PATHS}
    with SlowClients(stack.proxy.port) as attack:
        for _ in range(3):
            for path in PAGE_PATHS:
                times[path].append(timed_get(stack.proxy.url + path, timeout=PATIENCE))
        held = attack.dropped == 0  # every slow client kept its connection throughout
    slowest = {path: round(max(seconds), 3) for path, seconds in times.items()}
    say(f"slowest page load with {SLOW_CLIENTS} slow clients on nginx (s): {slowest}")
    assert held, f"nginx hung up on {attack.dropped} slow clients during the test"


def test_without_nginx_the_same_slow_clients_stall_an_app_server(stack: Stack) -> None:
    """Why nginx is there: gunicorn's threads read a request to its end, so the same slow
    clients sent straight to a worker hold all its four threads and a person waits. (One
    worker, as the kernel hands a burst of connections mostly to one of several.)"""
    with Server(stack.env, workers=1, threads=4) as app:
        with SlowClients(app.port):
            started = time.monotonic()
            with pytest.raises((TimeoutError, urllib.error.URLError)):
                get(app.url + "/", timeout=PATIENCE)
            say(f"straight to gunicorn: no page after {time.monotonic() - started:.1f} s")
        # Once the slow clients go, it answers again.
        assert get(app.url + "/", timeout=PATIENCE)[0] == 200


class Visitor:
    """A person's browser: cookies kept, redirects followed; counts its requests. An error
    status is returned like any other (the wizard driver refuses anything but 200)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.requests = 0
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def send(self, method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        self.requests += 1
        body = urllib.parse.urlencode(data or []).encode() if method == "POST" else None
        request = urllib.request.Request(urllib.parse.urljoin(self.base, url), body)
        try:
            with self.opener.open(request, timeout=10) as response:
                text = response.read().decode()
                return wizard.Response(response.status, response.geturl(), text)
        except urllib.error.HTTPError as error:
            return wizard.Response(error.code, error.geturl(), error.read().decode())


def eventually(check: Callable[[], bool], within: float = 3.0) -> bool:
    """A log line is written just after the response is sent: wait for it a little."""
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def first_question(visitor: Visitor) -> tuple[str, wizard.Answers]:
    """The checker's first question, found as a visitor finds it (the start link), and
    answers to it that the checker accepts: the URL to post them to, and the answers."""
    start = visitor.send("GET", "/check/", None)
    href = wizard.parse(start.text).start_href
    assert href, "no data-wizard=start link on /check/"
    page = visitor.send("GET", urllib.parse.urljoin(start.url, href), None)
    form = wizard.parse(page.text).step_form
    assert page.status == 200 and form is not None, page.url
    action = urllib.parse.urljoin(page.url, form.action or page.url)
    return action, wizard.answers(form, wizard.pick_findings(set()))


def test_a_megabyte_posted_to_the_checker_is_refused_with_a_plain_page(stack: Stack) -> None:
    visitor = Visitor(stack.proxy.url)
    step, answers = first_question(visitor)
    refused = visitor.send("POST", step, [*answers, ("padding", "a" * 1024 * 1024)])
    assert refused.status == 413
    assert "That was too much to send" in refused.text
    assert 'href="/"' in refused.text and 'href="/check/"' in refused.text
    path = urllib.parse.urlsplit(step).path
    assert eventually(
        lambda: any(f'"POST {path} HTTP/1.1" 413' in line for line in stack.proxy.log_lines())
    )
    # With the headers every page of the site has.
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(
            urllib.parse.urljoin(stack.proxy.url, step), data=b"a" * 1024 * 1024, timeout=10
        )
    assert refusal.value.code == 413
    assert refusal.value.headers["Content-Security-Policy"] == content_security_policy()
    assert refusal.value.headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert refusal.value.headers["X-Content-Type-Options"] == "nosniff"
    # The page itself, like every page of the site: no inline script or style.
    source = (PAGES / "413.html").read_text()
    assert not re.search(r"<script|<style|\sstyle=|\son\w+=", source)
    # Below the limit the checker takes the answers and asks the next question.
    taken = visitor.send("POST", step, [*answers, ("padding", "a" * 32 * 1024)])
    assert taken.status == 200 and taken.url != step
    # The admin's limit is larger: a megabyte reaches Django (a failed login, shown again).
    login = visitor.send("GET", "/admin/login/", None)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token, "no CSRF token on the login page"
    form = [("csrfmiddlewaretoken", token[1]), ("username", "nobody"), ("password", "wrong")]
    tried = visitor.send("POST", "/admin/login/", [*form, ("padding", "a" * 1024 * 1024)])
    assert tried.status == 200 and 'name="username"' in tried.text


def fetch_headers(url: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        headers = {k.lower(): ", ".join(response.headers.get_all(k)) for k in response.headers}
        return response.status, headers


def test_static_files_come_from_nginx_cached_for_good(stack: Stack) -> None:
    _, html = get(stack.proxy.url + "/conditions/leg-cramps/")
    stylesheet = re.search(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assert stylesheet and re.search(r"\.[0-9a-f]{12}\.css$", stylesheet[1]), "not hashed"
    status, headers = fetch_headers(stack.proxy.url + stylesheet[1])
    assert status == 200
    assert "max-age=315360000" in headers["cache-control"]
    assert "immutable" in headers["cache-control"]
    assert headers.get("content-encoding") == "gzip"
    assert headers["x-content-type-options"] == "nosniff"
    # nginx's copies of the app's policies (deploy/nginx.conf) say the same.
    assert headers["content-security-policy"] == content_security_policy()
    # The unhashed copy (the 413 page's stylesheet) may change: an hour only.
    status, headers = fetch_headers(stack.proxy.url + "/static/css/site.css")
    assert status == 200 and headers["cache-control"] == "max-age=3600"
    for app in stack.servers:  # nginx served them: no app server saw a static file
        assert app.requests_served("/static/") == 0


def test_no_log_keeps_a_query_string(stack: Stack) -> None:
    term = f"cramp{secrets.token_hex(4)}"
    assert get(f"{stack.proxy.url}/search/?q={term}")[0] == 200
    nginx_log = stack.proxy.access_log
    app_logs = [app.access_log for app in stack.servers if app.access_log]
    # The path alone, in nginx's log and in an app server's (gunicorn.conf.py's format; nginx
    # passes requests on as HTTP/1.0).
    assert eventually(lambda: '"GET /search/ HTTP/1.1" 200' in nginx_log.read_text())
    assert eventually(
        lambda: any('"GET /search/ HTTP/1.0" 200' in log.read_text() for log in app_logs)
    )
    for log in [nginx_log, *app_logs]:
        assert term not in log.read_text(), log


def test_an_app_server_restarted_under_load_costs_no_request(stack: Stack) -> None:
    proxy, restarted = stack.proxy, stack.servers[0]
    logged_before = len(proxy.log_lines())
    stop = threading.Event()
    failures: list[str] = []
    visitors: list[Visitor] = []

    def read_pages() -> None:
        visitor = Visitor(proxy.url)
        visitors.append(visitor)
        while not stop.is_set():
            for path in PAGE_PATHS:
                try:
                    status = visitor.send("GET", path, None).status
                except Exception as error:
                    failures.append(f"GET {path}: {error!r}")
                    continue
                if status != 200:
                    failures.append(f"GET {path}: {status}")

    def walk_the_checker(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            visitor = Visitor(proxy.url)  # a new person each time
            visitors.append(visitor)
            try:
                wizard.run_session(visitor.send, wizard.pick_randomly(rng))
            except Exception as error:
                failures.append(f"checker session: {error!r}")

    threads = [threading.Thread(target=read_pages) for _ in range(3)]
    threads += [threading.Thread(target=walk_the_checker, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        started = time.monotonic()
        restarted.restart(down_for=1.0)
        down = time.monotonic() - started
        served_before = restarted.requests_served()
        # nginx leaves a server that refused it alone for fail_timeout (5 s, deploy/
        # nginx.conf): a server warming up before it opens its port is refused once.
        back_by = time.monotonic() + 10
        while restarted.requests_served() <= served_before and time.monotonic() < back_by:
            time.sleep(0.2)
        time.sleep(1)  # and a little more under load
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    requests = sum(visitor.requests for visitor in visitors)
    retried = proxy.retried(since=logged_before)
    posts = sum('"POST ' in line for line in retried)
    say(
        f"{requests} requests, {len(failures)} failed; app server down and back in {down:.1f} s;"
        f" nginx passed {len(retried)} ({posts} POST) on to the other server"
    )
    assert not failures, failures[:5]
    assert requests > 100
    assert retried, "no request reached the stopped server: the test proved nothing"
    assert restarted.requests_served() > served_before, "nothing served after the restart"


def in_rotation(stack: Stack, within: float = 15) -> None:
    """Wait until nginx sends requests to every app server again: one that refused it (a
    restarted server warming up before it opens its port) is left alone for fail_timeout."""
    served = [app.requests_served() for app in stack.servers]
    visitor = Visitor(stack.proxy.url)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(app.requests_served() > n for app, n in zip(stack.servers, served, strict=True)):
            return
        visitor.send("GET", "/", None)
        time.sleep(0.1)
    raise AssertionError(f"nginx did not send requests to every app server within {within} s")


def test_a_refused_connection_is_retried_for_a_post_too(stack: Stack) -> None:
    """Outside the checker nginx never sends a POST twice (proxy_next_upstream without
    non_idempotent), yet a connection refused by a stopped server is retried: nothing was
    sent. The admin's login answers a POST without a CSRF token with 403: Django answered."""
    proxy, down, alive = stack.proxy, stack.servers[1], stack.servers[0]
    in_rotation(stack)
    logged_before = len(proxy.log_lines())
    down.stop()
    try:
        visitor = Visitor(proxy.url)
        login = [("username", "nobody"), ("password", "wrong")]
        statuses = [visitor.send("POST", "/admin/login/", login).status for _ in range(4)]
    finally:
        down.start()
    assert statuses == [403] * 4
    retried = proxy.retried(since=logged_before)
    via = f"upstream=127.0.0.1:{down.port}, 127.0.0.1:{alive.port}"
    assert any('"POST /admin/login/ ' in line and via in line for line in retried), retried
