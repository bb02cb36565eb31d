"""Load the benchmark's targets with locust, in this process: `python -m bench.measure` reads
a job as JSON on stdin and prints, as JSON, what locust measured for each target.

bench/run.py starts it so that locust's gevent monkey-patching stays out of its own process.
Each target is warmed up, then loaded by `users` visitors (bench/visitors.py) in `rounds`
interleaved rounds of `seconds / rounds` each (the checker's `checker_time` times as long),
so that a change in the machine's other load touches every target alike. The figures are
locust's: its request counts, failures and percentiles (response times kept to 1 ms below
100 ms), merged over the rounds.

After each load, it waits until the server has answered what is still queued (`drain`):
stopped visitors leave requests behind, and behind a slow first request (a search index
or A-Z list built for 5,000 conditions) they kept the next target from being served at all.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.request
from collections import Counter
from typing import Any

import gevent
from locust import User
from locust.env import Environment
from locust.stats import RequestStats, StatsEntry

from bench.visitors import CheckerVisitor, ResultVisitor, page_visitor
from harness.sessions import SESSION

# Spawning all users at once is the point here; locust warns above 100 a second.
SPAWN_RATE = 100
# How long the requests left queued by stopped visitors may take to be answered.
DRAIN_WITHIN = 300  # seconds
# Requests a visitor makes to get ready (ResultVisitor's walk to its result), not measured.
GETTING_READY = "walking to the result"
READY_WITHIN = 60  # seconds
# The pages under the job's p99_samples requests (bench/run.py P99_SAMPLES), together.
FEW_PAGES = "pages few walks open, pooled"


def visitor(kind: str, target: str) -> type[User]:
    if kind == "checker":
        return CheckerVisitor
    if kind == "result":
        return ResultVisitor
    return page_visitor(target, uncached=kind == "uncached")


def load(
    host: str, user_class: type[User], users: int, seconds: float
) -> tuple[RequestStats, float]:
    """`users` visitors for `seconds` once all have started; locust's stats and the CPU
    seconds this process (the load generator) used meanwhile."""
    env = Environment(user_classes=[user_class], host=host)
    runner = env.create_local_runner()
    ResultVisitor.ready = 0
    runner.start(users, spawn_rate=SPAWN_RATE)
    if runner.spawning_greenlet is not None:
        runner.spawning_greenlet.join()
    if user_class is ResultVisitor:  # each walks to its result first: not measured
        deadline = time.monotonic() + READY_WITHIN
        while ResultVisitor.ready < users and time.monotonic() < deadline:
            gevent.sleep(0.05)
    env.stats.reset_all()
    cpu = time.process_time()
    gevent.sleep(seconds)
    runner.quit()
    cpu = time.process_time() - cpu
    drain(host)
    return env.stats, cpu


def drain(host: str) -> None:
    """Return once the server answers a request sent now: it joins the queue behind any
    left by the stopped visitors, so the next load starts on an idle server."""
    with urllib.request.urlopen(f"{host}/healthz", timeout=DRAIN_WITHIN) as response:
        response.read()


class Target:
    """One target's figures, merged over its rounds."""

    def __init__(self, p99_samples: int) -> None:
        self.p99_samples = p99_samples  # a page with fewer requests is judged pooled
        self.requests = StatsEntry(RequestStats(), "requests", "")
        self.pages: dict[str, StatsEntry] = {}  # each page's own figures ("GET /check/3/")
        self.seconds = 0.0
        self.sessions = 0
        self.client_cpu = 0.0
        self.errors: Counter[str] = Counter()

    def add(self, stats: RequestStats, cpu: float, seconds: float) -> None:
        self.seconds += seconds
        for entry in stats.entries.values():
            if entry.method == SESSION:
                self.sessions += entry.num_requests - entry.num_failures
            elif entry.name != GETTING_READY:
                self.requests.extend(entry)
                page = self.pages.setdefault(entry.name, StatsEntry(RequestStats(), entry.name, ""))
                page.extend(entry)
        for error in stats.errors.values():
            self.errors[f"{error.method} {error.name}: {error.error}"] += error.occurrences
        self.client_cpu += cpu

    def page_figures(self) -> dict[str, dict[str, Any]]:
        """Each page's requests and p99; with pages under `p99_samples` requests marked
        `pooled` and, if there are any, one more entry for them all together."""
        pages = {
            name: {
                "requests": entry.num_requests,
                "p99_ms": entry.get_response_time_percentile(0.99),
                "pooled": entry.num_requests < self.p99_samples,
            }
            for name, entry in sorted(self.pages.items())
        }
        few = [self.pages[name] for name, page in pages.items() if page["pooled"]]
        if len(self.pages) > 1 and few:
            pooled = StatsEntry(RequestStats(), FEW_PAGES, "")
            for entry in few:
                pooled.extend(entry)
            pages[FEW_PAGES] = {
                "requests": pooled.num_requests,
                "p99_ms": pooled.get_response_time_percentile(0.99),
                "pooled": False,
            }
        return pages

    def figures(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "requests": self.requests.num_requests,
            "errors": sum(self.errors.values()),
            "p50_ms": self.requests.get_response_time_percentile(0.50),
            "p99_ms": self.requests.get_response_time_percentile(0.99),
            "sessions": self.sessions,
            "client_cpu": self.client_cpu,
            "messages": [f"{message} (x{n})" for message, n in self.errors.most_common(5)],
            "pages": self.page_figures(),
        }


def run(job: dict[str, Any]) -> list[dict[str, Any]]:
    if job.get("cpus"):  # the load generator kept off the server's cores
        os.sched_setaffinity(0, set(job["cpus"]))
    classes = [visitor(kind, target) for kind, target in job["targets"]]
    if job["warmup"]:
        for user_class in classes:
            load(job["host"], user_class, job["users"], job["warmup"])
    targets = [Target(job["p99_samples"]) for _ in classes]
    for _ in range(job["rounds"]):
        for user_class, target in zip(classes, targets, strict=True):
            longer = job["checker_time"] if user_class is CheckerVisitor else 1
            seconds = longer * job["seconds"] / job["rounds"]
            target.add(*load(job["host"], user_class, job["users"], seconds), seconds)
    return [target.figures() for target in targets]


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
