"""What a view costs inside one process, past the page cache: milliseconds per request and
queries per request, through Django's whole request handler (every middleware) with no
network and no HTTP server. bench/run.py starts it with the benchmarked site's settings:

    python -m bench.inprocess < job.json        # prints the figures as JSON
    python -m bench.inprocess --profile /conditions/leg-cramps/   # cProfile's top 30

A condition page asked for with a cookie is what any reader with a cookie costs once this
process has loaded the condition ("page"), and what the first such reader after an edit
costs ("first": the kept conditions, content/condition_cache.py, are forgotten before
each request); the checker's result page is personal and never cached ("result").
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from typing import Any

import django

# The page cache steps aside for any cookie but the CSRF one (content/caching.py).
BYPASS_COOKIE = ("bench", "uncached")
HOST = "127.0.0.1"  # the benchmarked site allows only this host (harness/server.py)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchsite.settings")
    django.setup()


def finished_checker(client: Any) -> str:
    """Walk one person through the checker (mostly "none") and return the result's URL; the
    answers stay in the client's cookie, as in a browser."""
    from harness import wizard

    def send(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        if method == "POST":
            response = client.post(url, wizard.as_dict(data or []), HTTP_HOST=HOST)
        else:
            response = client.get(url, HTTP_HOST=HOST)
        return wizard.Response(response.status_code, url, response.content.decode(),
                               response.get("Location", ""))  # fmt: skip

    session = wizard.run_session(send, wizard.pick_randomly(random.Random(1)))
    return wizard.local_path(session.url)


def prepared(kind: str, target: str) -> tuple[Any, str]:
    """A test client and the path it asks for again and again."""
    from django.test import Client

    client = Client()
    if kind == "result":
        return client, finished_checker(client)
    client.cookies[BYPASS_COOKIE[0]] = BYPASS_COOKIE[1]
    return client, target


def measure(kind: str, target: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from content import condition_cache

    client, path = prepared(kind, target)
    before = condition_cache.forget if kind == "first" else lambda: None
    for _ in range(max(repeat // 10, 5)):  # warm: the knowledge, templates, connections
        assert client.get(path, HTTP_HOST=HOST).status_code == 200, path
    queries: list[str] = []
    before()
    # Counted as sent, not from the debug log, which each request's start clears.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or
                                    execute(sql, *rest)):  # fmt: skip
        client.get(path, HTTP_HOST=HOST)
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        client.get(path, HTTP_HOST=HOST)
        times.append(time.perf_counter() - started)
    times.sort()
    return {
        "path": path,
        "queries": len(queries),
        "median_ms": times[len(times) // 2] * 1000,
        "p90_ms": times[int(len(times) * 0.9)] * 1000,
    }


def profile(kind: str, target: str, repeat: int, sort: str) -> None:
    client, path = prepared(kind, target)
    for _ in range(10):
        client.get(path, HTTP_HOST=HOST)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path, HTTP_HOST=HOST)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profile", metavar="PATH", help="profile PATH ('result': the result)")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--sort", default="cumulative", help="cProfile's sort (tottime...)")
    args = parser.parse_args()
    setup()
    if args.profile:
        kind = "result" if args.profile == "result" else "page"
        profile(kind, args.profile, args.repeat, args.sort)
        return
    job = json.load(sys.stdin)
    json.dump([measure(kind, target, job["repeat"]) for kind, target in job["targets"]],
              sys.stdout)  # fmt: skip


if __name__ == "__main__":
    main()
