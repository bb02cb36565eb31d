"""Mixed traffic for `make loadtest`: people reading articles, searching, and completing the
symptom checker. Run by loadtest/run.py, which starts the servers and reads the results.

LOAD_HOSTS (comma-separated base URLs) lists the servers. With two, every checker session
sends its requests to them alternately, so each step is answered by a different server than
the one before (they share only SECRET_KEY and the database). A request that cannot reach a
server (connection refused while it restarts) is retried on the other one, as a load
balancer does; it is counted under "failover" and is not an error. Anything else that goes
wrong (an HTTP error, a page breaking the checker contract as harness/wizard.py, the driver
the benchmark and the tests share, reads it) is an error.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time

import requests
from locust import HttpUser, between, events, task

from harness import wizard
from harness.sessions import timed_session

HOSTS = [h.rstrip("/") for h in os.environ.get("LOAD_HOSTS", "").split(",") if h.strip()]
SEARCH_TERMS = ["cramp", "twitch", "restless", "night", "leg", "nerve", "sleep", "zzz", "a"]
_condition_paths: list[str] = []


def _checker_name(method: str, path: str) -> str:
    if path.rstrip("/") == "/check":
        return "checker: start page"
    return f"checker: {method} step"


class Visitor(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.hosts = HOSTS or [self.host.rstrip("/")]
        self.rng = random.Random()
        if not _condition_paths:
            sitemap = self._request(self._hosts(), "GET", "/sitemap.xml", None, "/sitemap.xml")
            found = re.findall(r"<loc>[^<]*(/conditions/[^<]+/)</loc>", sitemap.text)
            _condition_paths[:] = found or ["/conditions/"]

    def _hosts(self) -> itertools.cycle[str]:
        """The servers in a random order, repeated: a request goes to the next one."""
        return itertools.cycle(self.rng.sample(self.hosts, k=len(self.hosts)))

    # --- reading ---------------------------------------------------------------------------
    @task(4)
    def read_articles(self) -> None:
        hosts = self._hosts()
        self._request(hosts, "GET", "/", None, "/")
        self._request(hosts, "GET", "/conditions/", None, "/conditions/")
        for path in self.rng.sample(_condition_paths, k=min(2, len(_condition_paths))):
            self._request(hosts, "GET", path, None, "/conditions/[slug]/")

    @task(2)
    def search(self) -> None:
        term = self.rng.choice(SEARCH_TERMS)
        self._request(self._hosts(), "GET", f"/search/?q={term}", None, "/search/?q=[term]")

    # --- the checker -----------------------------------------------------------------------
    @task(3)
    def checker_session(self) -> None:
        self.client.cookies.clear()  # a new person
        hosts = self._hosts()  # with two servers, each request goes to the other one

        def send(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
            path = wizard.local_path(url)
            return self._request(hosts, method, path, data, _checker_name(method, path))

        timed_session(events, send, wizard.pick_randomly(self.rng), "complete checker session")

    def _request(
        self,
        hosts: itertools.cycle[str],
        method: str,
        path: str,
        data: wizard.Answers | None,
        name: str,
    ) -> wizard.Response:
        """One request to the next server. If it cannot be delivered (connection refused,
        or a kept-alive connection closed by a server shutting down), try the next server,
        as a load balancer does: the request never reached a view, so retrying is safe
        (and checker steps are idempotent anyway: the answers travel in the request)."""
        tries = 2 * len(self.hosts)
        for attempt in range(tries):
            host = next(hosts)
            # Cookies are not port-specific: the one cookie jar serves both servers.
            # Locust turns a failed connection into a response with `.error` set.
            response = self.client.request(
                method, f"{host}{path}", data=data, name=name, catch_response=True
            )
            with response as checked:
                if isinstance(checked.error, requests.ConnectionError):
                    if attempt + 1 < tries:
                        checked.request_meta["name"] = f"failover: {host} down, retried"
                        checked.success()
                        time.sleep(0.1)
                        continue
                    checked.failure("no server accepted the connection")
                    raise wizard.WizardError("no server accepted the connection")
                if checked.status_code >= 400 or checked.status_code == 0:
                    checked.failure(f"HTTP {checked.status_code}")
                else:
                    checked.success()
                return wizard.Response(checked.status_code, checked.url or path, checked.text or "")
        raise wizard.WizardError("unreachable")
