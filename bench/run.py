"""`make bench`: measure the site as production serves it, with one static file as the floor.

    .venv/bin/python -m bench.run [--seconds 10] [--seed 5000] [--redis-url redis://...]

Prepares a fresh database (migrate + load_content) in a temporary folder unless
--database-url is given, collects static files into a temporary STATIC_ROOT, starts
gunicorn (harness/server.py: DEBUG off, 2 sync workers pinned to the first core) on a free
127.0.0.1 port, warms up, then loads each target with --concurrency connections from the
other core for --seconds: a static file (served by whitenoise: the floor), a condition
page, the home page, the A-Z, search, whole checker sessions driven through the checker's
HTML contract (harness/wizard.py), and a finished person's result page. locust does the
loading, in a process of its own (bench/measure.py, bench/visitors.py). Prints
requests/s, p50, p99 and errors, and each page's requests/s as a ratio of the static
file's; then what a condition page and the result cost inside one process
(bench/inprocess.py). With --seed N it then adds N generated conditions and measures the
A-Z and search again. Every target is checked (PASS or MISS); --check exits 1 on a MISS,
and --json writes the run (machine, date, every row) for bench/report.py, which writes
docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.server import ROOT, Server, manage, prepare, site_env

CONDITION_TARGET = 0.5  # a condition page's requests/s as a share of the static file's
CHECKER_P99_MS = 50.0  # each checker step's and the result page's p99 at 16 connections
RESULT_TARGET = 0.3  # the result page's requests/s as a share of the static file's
UNCACHED_CONDITION_MS = 3.0  # a condition page past the page cache, in-process (median)
UNCACHED_CONDITION_QUERIES = 4
HEALTHZ_P99_MS = 100.0  # /healthz must answer a load balancer within this
SEEDED_TARGET = 0.5  # A-Z and search with N generated conditions vs with the real content
# The checker's forty-odd pages share one target's requests, so it is loaded this many
# times as long as the other targets: each page a whole walk passes gets hundreds.
CHECKER_TIME = 3
# Fewer than 100 requests have no p99 apart from their slowest one: the pages few walks
# open (follow-ups behind a rare answer) are also pooled into one entry, judged as a whole.
P99_SAMPLES = 100
# The server on one core, the load generator on another, when there are two.
SERVER_CPUS = "0"
CLIENT_CPUS = "1"
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
    pages: dict[str, dict[str, float]] = field(default_factory=dict)  # each page's figures

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


def run_job(module: str, job: dict[str, Any], env: dict[str, str]) -> list[dict[str, Any]]:
    """Run `python -m module` in a process of its own, the job as JSON on its stdin; return
    the figures it prints as JSON."""
    done = subprocess.run(
        [sys.executable, "-m", module],
        input=json.dumps(job),
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    figures: list[dict[str, Any]] = json.loads(done.stdout)
    return figures


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
        "checker_time": CHECKER_TIME,
        "p99_samples": P99_SAMPLES,
        "targets": [(kind, target) for _, kind, target in named],
        "cpus": sorted(args.client_cpus),
    }
    # gevent's default resolver hands every lookup to a thread, here once per request (sync
    # workers close each connection); looking up 127.0.0.1 in place costs nothing.
    env = {**os.environ, "GEVENT_RESOLVER": "block"}
    rows = [
        Row(name=name, **figures)
        for (name, _, _), figures in zip(named, run_job("bench.measure", job, env), strict=True)
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
        if len(row.pages) > 1:  # the checker: each page's own p99 (and requests, if few)
            say("    p99 ms by page: " + ", ".join(
                f"{name} {page['p99_ms']:.0f}" + (f" ({page['requests']} pooled)"
                                                  if page["pooled"] else "")
                for name, page in row.pages.items()
            ))  # fmt: skip


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
        ("checker result, a finished person's", "result", ""),
        # The views themselves, past the page cache: what a first visit after an edit costs.
        ("  condition, uncached", "uncached", f"/conditions/{args.condition}/"),
        ("  A-Z, uncached", "uncached", "/conditions/"),
        ("  search, uncached", "uncached", f"/search/?q={args.query}"),
        # What a load balancer asks every few seconds (twitchsite/health.py).
        ("health check /healthz", "get", "/healthz"),
    ]


# Row numbers in targets(), for the checks.
FLOOR, CONDITION, CHECKER, RESULT, HEALTHZ = 0, 1, 5, 6, 10
SCALED = (3, 4, 8, 9)  # the A-Z and search, cached and not: measured again with --seed


@dataclass
class InProcess:
    """A view's cost inside one process (bench/inprocess.py)."""

    name: str
    path: str
    queries: int
    median_ms: float
    p90_ms: float


def in_process(env: dict[str, str], args: argparse.Namespace) -> list[InProcess]:
    condition = f"/conditions/{args.condition}/"
    named = [
        (f"condition {condition}, past the page cache", "page", condition),
        (f"condition {condition}, first view after an edit (no target)", "first", condition),
        ("checker result, a finished person's", "result", ""),
    ]
    job = {"repeat": args.repeat, "targets": [(kind, target) for _, kind, target in named]}
    figures = run_job("bench.inprocess", job, {**env, "PYTHONPATH": str(ROOT)})
    return [InProcess(name=name, **row) for (name, _, _), row in zip(named, figures, strict=True)]


def in_process_table(rows: list[InProcess]) -> None:
    say(f"{'in one process':<56}{'median ms':>10}{'p90 ms':>8}{'queries':>8}")
    for row in rows:
        say(f"{row.name:<56}{row.median_ms:>10.2f}{row.p90_ms:>8.2f}{row.queries:>8}")


def cpus(text: str) -> set[int]:
    return {int(cpu) for cpu in text.split(",") if cpu.strip()}


def machine() -> dict[str, str | int | float]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
             if line.startswith("model name")), "",
        )  # fmt: skip
    return {
        # Other work on the machine moves every figure: the load when the run began.
        "load_average": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count() or 1,
        "cpu_model": model,
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="per target (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds per target first")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--server-cpus", type=cpus, default=cpus(SERVER_CPUS), help="pin gunicorn (default 0)"
    )
    parser.add_argument(
        "--client-cpus", type=cpus, default=cpus(CLIENT_CPUS), help="pin locust (default 1)"
    )
    parser.add_argument("--repeat", type=int, default=500, help="in-process requests per view")
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
    if (os.cpu_count() or 1) < 2:  # nothing to pin apart
        args.server_cpus, args.client_cpus = set(), set()

    before = machine()
    with tempfile.TemporaryDirectory(prefix="twitchsite-bench-") as tmp:
        database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        env = site_env(database_url, Path(tmp) / "static", redis_url=args.redis_url)
        say(f"Preparing {database_url.split('@')[-1]} and static files...")
        prepare(env, load_content=not args.no_load)
        manage(env, "seed_conditions", "--remove")
        setup = (
            f"gunicorn: {args.workers} workers x {args.threads} thread(s) on CPU "
            f"{sorted(args.server_cpus) or 'any'}; {args.concurrency} connections from CPU "
            f"{sorted(args.client_cpus) or 'any'}, {args.seconds:g} s per target "
            f"after {args.warmup:g} s warm-up; cache: {'Redis' if args.redis_url else 'locmem'}"
        )
        say(setup)
        log = Path(tmp) / "gunicorn.log"
        server = Server(
            env, workers=args.workers, threads=args.threads, log=log, cpus=args.server_cpus
        )
        with server:
            css = stylesheet_url(server.url)
            rows = measure(server.url, targets(args, css), args)
            say()
            table(rows, rows[0])
            say()
            inprocess = in_process(env, args)
            in_process_table(inprocess)
            seeded: list[Row] = []
            if args.seed:
                say(f"\nAdding {args.seed} generated conditions...")
                manage(env, "seed_conditions", str(args.seed))
                scaled = [targets(args, css)[i] for i in SCALED]
                again = [(f"{n} +{args.seed}", k, t) for n, k, t in scaled]
                name, kind, target = targets(args, css)[0]
                floor = (f"{name} (again)", kind, target)
                seeded = measure(server.url, [floor, *again], args)
                manage(env, "seed_conditions", "--remove")
                say()
                table(seeded, seeded[0])
        if any(row.errors for row in rows + seeded):
            say(f"\nServer log ({log}):\n" + log.read_text()[-3000:])
        checks = verdicts(rows, seeded, inprocess)
        if args.json:
            run = {
                "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": before,
                "setup": setup,
                "database": database_url.split("@")[-1].split("://")[0],
                "seed": args.seed,
                "rows": [_figures(row, rows[0]) for row in rows],
                "seeded": [_figures(row, seeded[0]) for row in seeded],
                "in_process": [vars(row) for row in inprocess],
                "checks": [
                    {"label": label, "passed": passed, "value": value}
                    for label, passed, value in checks
                ],
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(run, indent=2) + "\n")
            say(f"\nFigures written to {args.json}")
    errors = any(row.errors for row in rows + seeded)
    missed = not all(passed for _, passed, _ in checks)
    return 1 if errors or (args.check and missed) else 0


def _figures(row: Row, floor: Row) -> dict[str, object]:
    return vars(row) | {"rps": row.rps, "x_static": row.rps / floor.rps if floor.rps else 0}


def verdicts(
    rows: list[Row], seeded: list[Row], inprocess: list[InProcess]
) -> list[tuple[str, bool, str]]:
    floor, condition, checker, result = rows[FLOOR], rows[CONDITION], rows[CHECKER], rows[RESULT]
    judged = {name: page for name, page in checker.pages.items() if not page["pooled"]}
    slowest_step = max(judged.items(), key=lambda item: item[1]["p99_ms"], default=None)
    uncached_condition = inprocess[0]
    checks = [
        (
            f"condition page >= {CONDITION_TARGET}x static requests/s",
            condition.rps / floor.rps >= CONDITION_TARGET,
            f"{condition.rps / floor.rps:.2f}x",
        ),
        (
            f"every checker step's p99 < {CHECKER_P99_MS:g} ms",
            slowest_step is not None and slowest_step[1]["p99_ms"] < CHECKER_P99_MS,
            f"slowest {slowest_step[0]}: {slowest_step[1]['p99_ms']:.0f} ms"
            if slowest_step
            else "no steps",
        ),
        (
            f"result page p99 < {CHECKER_P99_MS:g} ms",
            result.p99_ms < CHECKER_P99_MS,
            f"{result.p99_ms:.0f} ms",
        ),
        (
            f"result page >= {RESULT_TARGET}x static requests/s",
            result.rps / floor.rps >= RESULT_TARGET,
            f"{result.rps / floor.rps:.2f}x",
        ),
        (
            f"condition page past the cache <= {UNCACHED_CONDITION_MS:g} ms in-process",
            uncached_condition.median_ms <= UNCACHED_CONDITION_MS,
            f"{uncached_condition.median_ms:.2f} ms",
        ),
        (
            f"condition page past the cache <= {UNCACHED_CONDITION_QUERIES} queries",
            uncached_condition.queries <= UNCACHED_CONDITION_QUERIES,
            f"{uncached_condition.queries} queries",
        ),
        (
            f"/healthz p99 < {HEALTHZ_P99_MS:g} ms",
            rows[HEALTHZ].p99_ms < HEALTHZ_P99_MS,
            f"{rows[HEALTHZ].p99_ms:.1f} ms",
        ),
    ]
    # Each compared as a share of the static file measured beside it, so a change in the
    # machine's other load between the two phases does not count.
    for before, after in zip([rows[i] for i in SCALED], seeded[1:], strict=False):
        label = f"{after.name}: within 2x of the real content's speed"
        if not (before.rps and floor.rps and seeded[0].rps):  # a MISS, not a crash
            checks.append((label, False, "no requests answered to compare with"))
            continue
        speed = (after.rps / seeded[0].rps) / (before.rps / floor.rps)
        checks.append((label, speed >= SEEDED_TARGET, f"{speed:.2f}x"))
    say()
    for label, passed, value in checks:
        say(f"{'PASS' if passed else 'MISS'}  {label}: {value}")
    return checks


if __name__ == "__main__":
    raise SystemExit(main())
