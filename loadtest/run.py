"""Load test: real gunicorn servers on 127.0.0.1, mixed traffic from locust, a short report.

    python -m loadtest.run                     # 50 users for 60 s (make loadtest)
    python -m loadtest.run --duration 15       # CI (make loadtest-ci)
    python -m loadtest.run --two-servers --restart
    python -m loadtest.run --proxy --two-servers --redis-url redis://127.0.0.1:6379/9  # CI

It prepares its own database (PostgreSQL database `twitch_load` if a server answers on
127.0.0.1:5432, else a SQLite file in a temporary folder), migrates it, loads the content and
collects static files into the temporary folder, starts gunicorn (all with the launcher the
tests use, harness/server.py), runs locust headless (loadtest/locustfile.py) and
prints the median and 95th percentile response times and the errors of each request type.
It exits non-zero on any error, or if no checker session completed.

--two-servers starts two gunicorn servers that share only DJANGO_SECRET_KEY and the
PostgreSQL database; each checker session sends its requests to them alternately.
--restart stops one server (SIGTERM: gunicorn finishes the requests it has, then exits)
a quarter of the way through and starts it again on the same port. While it is down, requests that
cannot connect are retried on the other server by the client, as a load balancer would do.

--proxy puts nginx in front, as production runs it (deploy/nginx.conf, through
harness/proxy.py; the app servers use deploy/gunicorn.conf.py): locust then talks to nginx
alone, which shares the requests out and retries them itself. --redis-url gives the servers
a shared page cache.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from harness.proxy import Proxy, behind_proxy, nginx_available
from harness.server import ROOT, Server, postgres_available, postgres_database, prepare, site_env
from harness.sessions import SESSION


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def database(args: argparse.Namespace, work: Path) -> contextlib.AbstractContextManager[str]:
    """PostgreSQL database `--db-name` if a server answers (or --database postgres), else a
    SQLite file in the temporary folder."""
    if args.database == "postgres" or (args.database == "auto" and postgres_available()):
        return postgres_database(args.db_name, keep=args.keep_db)
    if args.two_servers:
        raise SystemExit("--two-servers needs PostgreSQL on 127.0.0.1:5432 (they share it).")
    return contextlib.nullcontext(f"sqlite:///{work / 'load.sqlite3'}")


@dataclass
class Row:
    kind: str
    name: str
    count: int
    failures: int
    times: dict[int, int]  # response time (ms, rounded as locust does) -> how many

    def percentile(self, fraction: float) -> int:
        wanted, seen = fraction * sum(self.times.values()), 0
        for ms in sorted(self.times):
            seen += self.times[ms]
            if seen >= wanted:
                return ms
        return 0


def read_stats(json_file: Path) -> list[Row]:
    """Locust's final stats (--json-file): one entry per request type."""
    rows = [
        Row(
            e["method"],
            e["name"],
            e["num_requests"],
            e["num_failures"],
            {int(float(ms)): n for ms, n in e["response_times"].items()},
        )  # fmt: skip
        for e in json.loads(json_file.read_text())
    ]
    total = Row("", "Aggregated", 0, 0, {})
    for row in rows:
        if row.kind != SESSION:
            total.count += row.count
            total.failures += row.failures
            for ms, n in row.times.items():
                total.times[ms] = total.times.get(ms, 0) + n
    return sorted(rows, key=lambda r: (r.kind == SESSION, r.name)) + [total]


def report(rows: list[Row], failures_csv: Path) -> str:
    lines = [f"{'type':<8} {'name':<52} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}"]
    for row in rows:
        lines.append(
            f"{row.kind:<8} {row.name[:52]:<52} {row.count:>8} {row.failures:>6} "
            f"{row.percentile(0.5):>7} {row.percentile(0.95):>7}"
        )
    if failures_csv.exists():
        with failures_csv.open(newline="") as handle:
            for r in csv.DictReader(handle):
                lines.append(f"ERROR x{r['Occurrences']}: {r['Method']} {r['Name']}: {r['Error']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="twitch-load-"))
    try:
        with database(args, work) as database_url, contextlib.ExitStack() as running:
            # The secret key is the only thing the servers share, besides the database.
            env = site_env(database_url, work / "static", redis_url=args.redis_url)
            if args.proxy:
                env = behind_proxy(env)
            say(f"== preparing {database_url.split('@')[-1]}")
            prepare(env)
            servers = {
                name: running.enter_context(
                    Server(
                        env,
                        workers=args.workers,
                        threads=args.threads,
                        log=work / f"{name}.log",
                        access_log=work / f"{name}-access.log",
                    )
                )
                for name in (["A", "B"] if args.two_servers else ["A"])
            }
            say("== servers: " + ", ".join(f"{n} {s.url}" for n, s in servers.items()))
            hosts = [server.url for server in servers.values()]
            proxy = None
            if args.proxy:
                upstreams = [f"127.0.0.1:{server.port}" for server in servers.values()]
                proxy = running.enter_context(
                    Proxy(upstreams, work / "static", folder=work / "nginx")
                )
                hosts = [proxy.url]
                say(f"== nginx {proxy.url} in front of them")
            restarted: dict[str, int] = {}  # name -> checker requests it had served by then
            if args.restart:
                # A quarter of the way in: a restart takes seconds on a busy machine, and the
                # server must have time to serve again before the run ends.
                timer = threading.Timer(args.duration / 4, _restart, ["A", servers, restarted])
                timer.daemon = True
                timer.start()
            prefix = work / "locust"
            locust_env = {**os.environ, "LOAD_HOSTS": ",".join(hosts),
                          "PYTHONPATH": str(ROOT)}  # fmt: skip
            say(f"== locust: {args.users} users for {args.duration} s")
            subprocess.run(
                [
                    sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest/locustfile.py"),
                    "--headless", "-u", str(args.users), "-r", str(args.spawn_rate),
                    "-t", f"{args.duration}s", "--host", hosts[0],
                    "--csv", str(prefix), "--json-file", str(prefix),
                    "--stop-timeout", "30", "--loglevel", "WARNING",
                ],
                cwd=ROOT, env=locust_env, timeout=args.duration + 120,
            )  # fmt: skip
            rows = read_stats(Path(f"{prefix}.json"))
            say(report(rows, Path(f"{prefix}_failures.csv")))
            if proxy is not None:
                say(f"== nginx passed {len(proxy.retried())} requests on to another server")
            return verdict(rows, servers, restarted, args)
    finally:
        if args.keep:
            say(f"== kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def checker_requests(server: Server) -> int:
    return server.requests_served("/check/")


def _restart(name: str, servers: dict[str, Server], restarted: dict[str, int]) -> None:
    started = time.monotonic()
    # Down long enough for some requests to find it gone.
    servers[name].restart(down_for=1.0)
    restarted[name] = checker_requests(servers[name])
    say(f"== server {name} restarted: down {time.monotonic() - started:.1f} s")


def verdict(
    rows: list[Row], servers: dict[str, Server], restarted: dict[str, int], args: argparse.Namespace
) -> int:
    problems = []
    total = rows[-1]
    if total.count == 0:
        problems.append("no requests were made")
    elif total.failures:
        problems.append(f"{total.failures} errors")
    sessions = next((r for r in rows if r.name == "complete checker session"), None)
    if sessions is None or sessions.count - sessions.failures == 0:
        problems.append("no checker session completed")
    else:
        done = sessions.count - sessions.failures
        say(f"== {done} of {sessions.count} checker sessions completed")
    failovers = sum(r.count for r in rows if r.name.startswith("failover"))
    if failovers and not args.restart:
        problems.append(f"{failovers} requests could not connect (no server was restarted)")
    for name, server in servers.items():
        say(f"== server {name} answered {checker_requests(server)} checker requests")
        if args.two_servers and checker_requests(server) == 0:
            problems.append(f"server {name} answered no checker requests")
    if args.restart:
        say(f"== {'restarted: ' + ', '.join(restarted) if restarted else 'no restart happened'}; "
            f"{failovers} requests retried on the other server")  # fmt: skip
        if not restarted:
            problems.append("the restart did not happen")
        for name, before in restarted.items():
            after = checker_requests(servers[name]) - before
            say(f"== server {name} answered {after} checker requests after restarting")
            if after == 0:
                problems.append(f"server {name} served nothing after its restart")
    for problem in problems:
        say(f"FAIL: {problem}")
    if not problems:
        say("PASS: no errors")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--two-servers", action="store_true")
    parser.add_argument("--restart", action="store_true", help="restart server A early on")
    parser.add_argument("--proxy", action="store_true", help="nginx in front (deploy/)")
    parser.add_argument("--redis-url", default="", help="a shared page cache")
    parser.add_argument("--database", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--db-name", default="twitch_load")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    if args.restart and not args.two_servers:
        parser.error("--restart needs --two-servers (someone must answer meanwhile)")
    if args.proxy and not nginx_available():
        parser.error("--proxy needs nginx at /usr/sbin/nginx (apt-get install nginx)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
