"""The benchmark's visitors: locust users in a closed loop (each sends its next request as soon
as the last answer arrives). One asks for the same page again and again, past the page cache
if told; one goes through whole checker sessions with the shared driver (harness/wizard.py).
Run by bench/measure.py.
"""

from __future__ import annotations

import itertools
import random
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task

from harness import wizard
from harness.sessions import timed_session

# locust adds Accept-Encoding: gzip, deflate, br, as a browser does.
BROWSER_HEADERS = {"Accept": "text/html,*/*;q=0.8", "User-Agent": "twitchsite-bench/1"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_seeds = itertools.count()


class Visitor(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    default_headers = BROWSER_HEADERS

    def request_name(self, method: str, url: str) -> str:
        """The name locust files this request under."""
        return f"{method} {wizard.local_path(url).split('?')[0]}"

    def send(self, method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        """The wizard driver's transport. Redirects go back to the driver, which follows
        them: each request is one sample."""
        response = self.client.request(
            method,
            url,
            name=self.request_name(method, url),
            data=None if data is None else urlencode(data),
            headers=None if data is None else FORM,
            allow_redirects=False,
        )
        location = str(response.headers.get("location", "")) if response.headers else ""
        return wizard.Response(response.status_code or 0, url, response.text or "", location)


def page_visitor(path: str, uncached: bool = False) -> type[Visitor]:
    """A visitor asking for `path`. `uncached` sends a cookie, and any cookie but the CSRF
    one makes the page cache step aside (content/caching.py): it measures the view itself."""
    headers = {"Cookie": "bench=uncached"} if uncached else {}

    class PageVisitor(Visitor):
        @task
        def get(self) -> None:
            self.client.get(path, name=path, headers=headers)

    return PageVisitor


class ResultVisitor(Visitor):
    """A person who has finished the checker and reads (or reloads) the result page: one
    session first, then the result again and again. Personal, so never from the cache.
    `ready` counts the visitors that have walked to their result: measuring starts when
    all have (bench/measure.py)."""

    ready = 0

    def on_start(self) -> None:
        rng = random.Random(next(_seeds))
        self.result = wizard.local_path(
            wizard.run_session(self.send, wizard.pick_randomly(rng)).url
        )
        ResultVisitor.ready += 1

    def request_name(self, method: str, url: str) -> str:
        return "walking to the result"  # not measured (bench/measure.py)

    @task
    def read(self) -> None:
        self.client.get(self.result, name="result")


class CheckerVisitor(Visitor):
    """One person after another through the checker: start page, every step, the result;
    answers chosen at random, mostly "none". Each GET and POST is timed on its own, under
    its page's name ("GET /check/3/"), so that each step's p99 can be told apart."""

    def on_start(self) -> None:
        self.rng = random.Random(next(_seeds))

    @task
    def session(self) -> None:
        self.client.cookiejar.clear()  # a new person
        timed_session(
            self.environment.events, self.send, wizard.pick_randomly(self.rng), "checker session"
        )
