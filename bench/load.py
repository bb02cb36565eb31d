"""A small closed-loop HTTP load generator: C connections, each sending its next request as
soon as the last answer arrives, for a fixed time.

Why not wrk: the checker session needs CSRF tokens, cookies and form parsing, and every
target should be measured the same way so the ratios are fair. The client runs in
PROCESSES processes (threads inside each) so Python's GIL does not cap it at one core. It
shares the machine's cores with the server, which lowers every absolute number; ratios
measured in one run are what the benchmark compares.
"""

from __future__ import annotations

import http.client
import multiprocessing
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

PROCESSES = 2
BROWSER_HEADERS = {
    "Accept": "text/html,*/*;q=0.8",
    "Accept-Encoding": "gzip, br",
    "User-Agent": "twitchsite-bench/1",
}


class Client:
    """One keep-alive connection (reopened when the server closes it) with a cookie jar."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.base_url = base_url
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | list[tuple[str, str]] | None = None
    ) -> tuple[int, dict[str, str], str, float]:
        """Send one request; (status, headers, body, seconds taken)."""
        headers = dict(BROWSER_HEADERS)
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base_url
            headers["Referer"] = self.base_url + path
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
                continue
            elapsed = time.perf_counter() - started
            raw_headers = response.getheaders()
            if response.will_close:
                self.close()
            for name, value in raw_headers:
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            text = data.decode("utf-8", "replace") if _is_text(raw_headers) else ""
            return response.status, {k.lower(): v for k, v in raw_headers}, text, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _is_text(headers: list[tuple[str, str]]) -> bool:
    return any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers)


@dataclass
class Sample:
    """What one load process measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    sessions: int = 0
    client_cpu: float = 0.0  # CPU seconds the load generator itself used

    def add(self, label: str, seconds: float) -> None:
        self.latencies.setdefault(label, []).append(seconds)


# --- scenarios: one iteration each ------------------------------------------------------


def get_page(path: str, uncached: bool = False) -> Callable[[Client, Sample, random.Random], None]:
    def scenario(client: Client, sample: Sample, rng: random.Random) -> None:
        if uncached:
            # Any cookie but the CSRF one makes the page cache step aside
            # (content/caching.py): this measures the view itself.
            client.cookies["bench"] = "uncached"
        status, _, _, seconds = client.request("GET", path)
        if status != 200:
            sample.errors.append(f"GET {path}: {status}")
        else:
            sample.add(path, seconds)

    return scenario


class FormParser(HTMLParser):
    """Finds the wizard's start link or form, its answer options and hidden fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self.start_href: str | None = None
        self.urgency: str | None = None
        self._form: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "data-urgency" in a:
            self.urgency = a["data-urgency"]
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get")}
            self._form.update(inputs=[], wizard=None)
            self.forms.append(self._form)
        elif tag == "a" and a.get("data-wizard") == "start":
            self.start_href = a.get("href")
        elif tag in {"input", "button"} and self._form is not None:
            inputs = self._form["inputs"]
            assert isinstance(inputs, list)
            inputs.append((tag, a))
            if a.get("data-wizard") in {"start", "continue"}:
                self._form["wizard"] = (a.get("name", ""), a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def answers(form: dict[str, object], rng: random.Random, only_none: bool) -> list[tuple[str, str]]:
    """Hidden fields kept; for each question mostly 'none', sometimes a real finding."""
    data: list[tuple[str, str]] = []
    options: dict[str, list[str]] = {}
    inputs = form["inputs"]
    assert isinstance(inputs, list)
    for tag, a in inputs:
        kind = a.get("type", "text" if tag == "input" else "submit")
        if tag == "input" and kind in {"hidden", "text", "number"} and a.get("name"):
            data.append((a["name"], a.get("value", "")))
        elif kind in {"radio", "checkbox"} and a.get("name"):
            options.setdefault(a["name"], []).append(a.get("value", ""))
    for name, values in options.items():
        real = [v for v in values if v != "none"]
        if "none" in values and (only_none or not real or rng.random() < 0.7):
            data.append((name, "none"))
        elif real:
            data.append((name, rng.choice(real)))
    if form["wizard"] and form["wizard"][0]:  # type: ignore[index]
        data.append(form["wizard"])  # type: ignore[arg-type]
    return data


def checker_session(client: Client, sample: Sample, rng: random.Random) -> None:
    """One person through the checker: start page, every step (GET, then POST), result.
    Each request's latency is recorded under 'checker GET' or 'checker POST'."""
    client.cookies.clear()
    path = "/check/"
    method, form_data = "GET", None
    for _ in range(40):
        status, headers, body, seconds = client.request(method, path, form_data)
        label = f"checker {method}"
        if status in {301, 302, 303}:
            sample.add(label, seconds)
            path, method, form_data = _local(headers["location"], path), "GET", None
            continue
        if status != 200:
            sample.errors.append(f"{method} {path}: {status}")
            return
        sample.add(label, seconds)
        page = FormParser()
        page.feed(body)
        if page.urgency:
            sample.sessions += 1
            return
        if page.start_href:
            path, method, form_data = _local(page.start_href, path), "GET", None
            continue
        forms = [f for f in page.forms if f["wizard"]]
        if not forms:
            sample.errors.append(f"{method} {path}: no wizard form or result")
            return
        form = forms[0]
        # A form shown again after a POST was invalid: answer 'none' everywhere.
        retry = method == "POST"
        form_data = answers(form, rng, only_none=retry)
        action = _local(str(form["action"]) or path, path)
        if str(form["method"]).lower() == "post":
            path, method = action, "POST"
        else:
            path, method, form_data = f"{action}?{urlencode(form_data)}", "GET", None
    sample.errors.append("checker: no result after 40 requests")


def _local(url: str, current: str) -> str:
    parts = urlsplit(urljoin("http://x" + current, url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


SCENARIOS: dict[str, Callable[[str], Callable[[Client, Sample, random.Random], None]]] = {
    "get": get_page,
    "uncached": lambda path: get_page(path, uncached=True),
    "checker": lambda _: checker_session,
}


# --- running ------------------------------------------------------------------------------


def _process(args: tuple[str, str, str, int, float, float, int]) -> Sample:
    base_url, kind, target, threads, start_at, seconds, seed = args
    scenario = SCENARIOS[kind](target)
    sample = Sample()
    lock = threading.Lock()
    # Every process starts and stops at the same wall-clock time.
    time.sleep(max(0.0, start_at - time.time()))
    deadline = time.perf_counter() + seconds
    cpu_before = time.process_time()

    def loop(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        client = Client(base_url)
        own = Sample()
        while time.perf_counter() < deadline:
            try:
                scenario(client, own, rng)
            except (OSError, http.client.HTTPException) as error:
                own.errors.append(f"{type(error).__name__}: {error}")
                client.close()
                time.sleep(0.01)
        client.close()
        with lock:
            for label, values in own.latencies.items():
                sample.latencies.setdefault(label, []).extend(values)
            sample.errors.extend(own.errors)
            sample.sessions += own.sessions

    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    sample.client_cpu = time.process_time() - cpu_before
    return sample


def run(
    base_url: str, kind: str, target: str, concurrency: int, seconds: float, seed: int = 0
) -> Sample:
    """Load `target` with `concurrency` connections for `seconds`; merged measurements."""
    processes = min(PROCESSES, concurrency)
    shares = [concurrency // processes + (n < concurrency % processes) for n in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        start_at = time.time() + 0.5  # after the pool's processes have started
        jobs = [
            (base_url, kind, target, share, start_at, seconds, seed + n)
            for n, share in enumerate(shares)
        ]
        parts = pool.map(_process, jobs)
    merged = Sample()
    for part in parts:
        for label, values in part.latencies.items():
            merged.latencies.setdefault(label, []).extend(values)
        merged.errors.extend(part.errors)
        merged.sessions += part.sessions
        merged.client_cpu += part.client_cpu
    return merged


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')
