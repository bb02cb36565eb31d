"""`make bench`: measure the site as production serves it, with one static file as the floor.

    .venv/bin/python -m bench.run [--seconds 10] [--seed 5000] [--redis-url redis://...]

Prepares a fresh database (migrate + load_content) in a temporary folder unless
--database-url is given, collects static files into a temporary STATIC_ROOT, starts
gunicorn (harness/server.py: DEBUG off, (2 x cores) + 1 sync workers) on a free 127.0.0.1
port, warms up, then loads each target with --concurrency connections for --seconds: a
static file (served by whitenoise: the floor), a condition page, the home page, the A-Z,
search, and whole checker sessions driven through the checker's HTML contract
(harness/wizard.py). locust does the loading, in a process of its own (bench/measure.py,
bench/visitors.py). Prints requests/s, p50, p99 and errors, and each page's requests/s as
a ratio of the static file's. With --seed N it then adds N generated conditions and
measures the A-Z and search again. docs/performance.md explains the choices and records
the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from harness.server import ROOT, Server, default_workers, manage, prepare, site_env

CONDITION_TARGET = 0.5  # a condition page's requests/s as a share of the static file's
CHECKER_P99_MS = 50.0  # a checker step's p99 at 16 connections
HEALTHZ_P99_MS = 100.0  # /healthz must answer a load balancer within this
SEEDED_TARGET = 0.5  # A-Z and search with N generated conditions vs with the real content
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')


@dataclass
class Row:
    name: str
    requests: int
    errors: int
    seconds: float
    p50_ms: int  # locust keeps response times to 1 ms below 100 ms, 10 ms below 1 s
    p99_ms: int
    sessions: int = 0
    client_cpu: float = 0.0
    messages: list[str] = field(default_factory=list)  # the commonest errors

    @property
    def client_share(self) -> float:
        """The load generator's share of the machine's CPU while it ran."""
        return self.client_cpu / (self.seconds * (os.cpu_count() or 1))

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def measure(
    base_url: str, named: list[tuple[str, str, str]], args: argparse.Namespace
) -> list[Row]:
    """Load each (name, kind, target) with locust (bench/measure.py) in a process of its own."""
    job = {
        "host": base_url,
        "users": args.concurrency,
        "warmup": args.warmup,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "targets": [(kind, target) for _, kind, target in named],
    }
    # gevent's default resolver hands every lookup to a thread, here once per request (sync
    # workers close each connection); looking up 127.0.0.1 in place costs nothing.
    env = {**os.environ, "GEVENT_RESOLVER": "block"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.measure"],
        input=json.dumps(job),
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    rows = [
        Row(name=name, seconds=args.seconds, **figures)
        for (name, _, _), figures in zip(named, json.loads(done.stdout), strict=True)
    ]
    for row in rows:
        for message in row.messages:
            say(f"  ! {row.name}: {message}")
    return rows


def table(rows: list[Row], floor: Row) -> None:
    say(
        f"{'target':<44}{'req/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'x static':>9}"
        f"{'client CPU':>11}"
    )
    for row in rows:
        ratio = row.rps / floor.rps if floor.rps else float("nan")
        extra = f"  ({row.sessions / row.seconds:.1f} sessions/s)" if row.sessions else ""
        say(
            f"{row.name:<44}{row.rps:>7.0f}{row.p50_ms:>8.0f}{row.p99_ms:>8.0f}"
            f"{row.errors:>7}{ratio:>9.2f}{row.client_share:>10.0%}{extra}"
        )


def stylesheet_url(base_url: str) -> str:
    with urllib.request.urlopen(base_url + "/") as response:
        html = response.read().decode()
    match = STYLESHEET.search(html)
    if not match:
        raise RuntimeError("the home page links no stylesheet")
    return match.group(1)


def targets(args: argparse.Namespace, css: str) -> list[tuple[str, str, str]]:
    return [
        (f"static file {css.rsplit('/', 1)[-1]}", "get", css),
        (f"condition /conditions/{args.condition}/", "get", f"/conditions/{args.condition}/"),
        ("home /", "get", "/"),
        ("A-Z /conditions/", "get", "/conditions/"),
        (f"search /search/?q={args.query}", "get", f"/search/?q={args.query}"),
        ("checker step (each GET/POST)", "checker", ""),
        # The views themselves, past the page cache: what a first visit after an edit costs.
        ("  condition, uncached", "uncached", f"/conditions/{args.condition}/"),
        ("  A-Z, uncached", "uncached", "/conditions/"),
        ("  search, uncached", "uncached", f"/search/?q={args.query}"),
        # What a load balancer asks every few seconds (twitchsite/health.py).
        ("health check /healthz", "get", "/healthz"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per target (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per target first")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--seed", type=int, default=0, help="then N generated conditions")
    parser.add_argument("--database-url", default="", help="default: a new temporary SQLite")
    parser.add_argument(
        "--no-load", action="store_true", help="use --database-url's content as it is"
    )
    parser.add_argument("--redis-url", default="", help="use Django's Redis cache")
    parser.add_argument("--condition", default="leg-cramps", help="condition slug to load")
    parser.add_argument("--query", default="cramp", help="search words")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="twitchsite-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = site_env(database_url, Path(tmp) / "static", redis_url=args.redis_url)
        say(f"Preparing {database_url.split('@')[-1]} and static files...")
        prepare(env, load_content=not args.no_load)
        manage(env, "seed_conditions", "--remove")
        say(
            f"gunicorn: {args.workers} workers x {args.threads} thread(s); "
            f"{args.concurrency} connections, {args.seconds:g} s per target "
            f"after {args.warmup:g} s warm-up; cache: {'Redis' if args.redis_url else 'locmem'}"
        )
        log = Path(tmp) / "gunicorn.log"
        with Server(env, workers=args.workers, threads=args.threads, log=log) as server:
            css = stylesheet_url(server.url)
            rows = measure(server.url, targets(args, css), args)
            say()
            table(rows, rows[0])
            seeded: list[Row] = []
            if args.seed:
                say(f"\nAdding {args.seed} generated conditions...")
                manage(env, "seed_conditions", str(args.seed))
                scaled = [targets(args, css)[i] for i in (3, 4, 7, 8)]
                again = [(f"{n} +{args.seed}", k, t) for n, k, t in scaled]
                name, kind, target = targets(args, css)[0]
                floor = (f"{name} (again)", kind, target)
                seeded = measure(server.url, [floor, *again], args)
                manage(env, "seed_conditions", "--remove")
                say()
                table(seeded, seeded[0])
        if any(row.errors for row in rows + seeded):
            say(f"\nServer log ({log}):\n" + log.read_text()[-3000:])
        ok = verdicts(rows, seeded)
        if args.json:
            figures = {
                row.name: vars(row) | {"rps": row.rps, "client_share": row.client_share}
                for row in rows + seeded
            }
            args.json.write_text(json.dumps(figures, indent=2))
    errors = any(row.errors for row in rows + seeded)
    return 1 if errors or (args.check and not ok) else 0


def verdicts(rows: list[Row], seeded: list[Row]) -> bool:
    floor, condition, checker = rows[0], rows[1], rows[5]
    checks = [
        (
            f"condition page >= {CONDITION_TARGET}x static requests/s",
            condition.rps / floor.rps >= CONDITION_TARGET,
            f"{condition.rps / floor.rps:.2f}x",
        ),
        (
            f"checker step p99 < {CHECKER_P99_MS:g} ms",
            checker.p99_ms < CHECKER_P99_MS,
            f"{checker.p99_ms:.1f} ms",
        ),
        (
            f"/healthz p99 < {HEALTHZ_P99_MS:g} ms",
            rows[9].p99_ms < HEALTHZ_P99_MS,
            f"{rows[9].p99_ms:.1f} ms",
        ),
    ]
    # Each compared as a share of the static file measured beside it, so a change in the
    # machine's other load between the two phases does not count.
    for before, after in zip([rows[i] for i in (3, 4, 7, 8)], seeded[1:], strict=False):
        speed = (after.rps / seeded[0].rps) / (before.rps / floor.rps)
        checks.append(
            (
                f"{after.name}: within 2x of the real content's speed",
                speed >= SEEDED_TARGET,
                f"{speed:.2f}x",
            )
        )
    say()
    for label, passed, value in checks:
        say(f"{'PASS' if passed else 'MISS'}  {label}: {value}")
    return all(passed for _, passed, _ in checks)


if __name__ == "__main__":
    raise SystemExit(main())
