"""Load test: real gunicorn servers on 127.0.0.1, mixed traffic from locust, a short report.

    python -m loadtest.run                     # 50 users for 60 s (make loadtest)
    python -m loadtest.run --duration 15       # CI (make loadtest-ci)
    python -m loadtest.run --two-servers --restart

It prepares its own database (PostgreSQL database `twitch_load` if a server answers on
127.0.0.1:5432, else a SQLite file in a temporary folder), migrates it, loads the content and
collects static files into the temporary folder, starts gunicorn, runs locust headless and
prints the median and 95th percentile response times and the errors of each request type.
It exits non-zero on any error, or if no checker session completed.

--two-servers starts two gunicorn servers that share only DJANGO_SECRET_KEY and the
PostgreSQL database; each checker session sends its requests to them alternately.
--restart stops one server (SIGTERM: gunicorn finishes the requests it has, then exits)
halfway through and starts it again on the same port. While it is down, requests that
cannot connect are retried on the other server by the client, as a load balancer would do.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_ADMIN_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
READY_TIMEOUT = 60


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_ADMIN_URL}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_postgres_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_ADMIN_URL}/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_ADMIN_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Server:
    """One gunicorn server; `start` and `stop` may be called repeatedly (a restart)."""

    name: str
    port: int
    env: dict[str, str]
    log_dir: Path
    workers: int
    threads: int
    process: subprocess.Popen[bytes] | None = None
    served_before_restart: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.log_dir / f"access-{self.name}.log"

    def start(self) -> None:
        error_log = (self.log_dir / f"error-{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"), "twitchsite.wsgi",
                "-w", str(self.workers), "--threads", str(self.threads),
                "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "20",
                # Longer than a visitor's pause between pages: a connection the server
                # closes just as the client reuses it would look like an outage.
                "--keep-alive", "5",
                "--access-logfile", str(self.access_log),
                # gunicorn's control socket has one default path per user: two servers
                # (or a test server running beside this) would fight over it.
                "--no-control-socket",
            ],
            cwd=BASE, env=self.env, stdout=error_log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.name} exited; see {error_log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server {self.name} did not answer within {READY_TIMEOUT} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: finish in-flight requests
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def requests_served(self, prefix: str = "/check/") -> int:
        if not self.access_log.exists():
            return 0
        return sum(f'"GET {prefix}' in line or f'"POST {prefix}' in line
                   for line in self.access_log.read_text().splitlines())  # fmt: skip


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE, env=env, check=True)


def prepare(args: argparse.Namespace, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    if args.database == "postgres" or (args.database == "auto" and postgres_available()):
        database_url = fresh_postgres_database(args.db_name)
    elif args.two_servers:
        raise SystemExit("--two-servers needs PostgreSQL on 127.0.0.1:5432 (they share it).")
    else:
        database_url = f"sqlite:///{work / 'load.sqlite3'}"
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # the only thing the servers share...
        DATABASE_URL=database_url,  # ...besides the database
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_DEBUG="0",
        DJANGO_STATIC_ROOT=str(work / "static"),
        REDIS_URL="",
    )
    say(f"== preparing {database_url.split('@')[-1]}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_content", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


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
        if row.kind != "SESSION":
            total.count += row.count
            total.failures += row.failures
            for ms, n in row.times.items():
                total.times[ms] = total.times.get(ms, 0) + n
    return sorted(rows, key=lambda r: (r.kind == "SESSION", r.name)) + [total]


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
    servers: list[Server] = []
    env: dict[str, str] = {}
    try:
        env = prepare(args, work)
        for name in ["A", "B"] if args.two_servers else ["A"]:
            servers.append(Server(name, free_port(), env, work, args.workers, args.threads))
            servers[-1].start()
        say("== servers: " + ", ".join(f"{s.name} {s.url}" for s in servers))

        restarted: list[str] = []
        if args.restart:
            timer = threading.Timer(args.duration / 2, _restart, [servers[0], restarted])
            timer.daemon = True
            timer.start()
        prefix = work / "locust"
        locust_env = {**os.environ, "LOAD_HOSTS": ",".join(s.url for s in servers),
                      "PYTHONPATH": str(BASE)}  # fmt: skip
        say(f"== locust: {args.users} users for {args.duration} s")
        subprocess.run(
            [
                PYTHON, "-m", "locust", "-f", str(BASE / "loadtest/locustfile.py"), "--headless",
                "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
                "--host", servers[0].url, "--csv", str(prefix), "--json-file", str(prefix),
                "--stop-timeout", "30", "--loglevel", "WARNING",
            ],
            cwd=BASE, env=locust_env, timeout=args.duration + 120,
        )  # fmt: skip
        rows = read_stats(Path(f"{prefix}.json"))
        say(report(rows, Path(f"{prefix}_failures.csv")))
        return verdict(rows, servers, restarted, args)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            say(f"== kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
        if env.get("DATABASE_URL", "").startswith("postgres") and not args.keep_db:
            drop_postgres_database(args.db_name)


def _restart(server: Server, restarted: list[str]) -> None:
    started = time.monotonic()
    server.stop()
    time.sleep(1.0)  # stay down long enough for some requests to find it gone
    server.start()
    server.served_before_restart = server.requests_served()
    restarted.append(f"server {server.name} restarted: down {time.monotonic() - started:.1f} s")


def verdict(
    rows: list[Row], servers: list[Server], restarted: list[str], args: argparse.Namespace
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
    for server in servers:
        say(f"== server {server.name} answered {server.requests_served()} checker requests")
        if args.two_servers and server.requests_served() == 0:
            problems.append(f"server {server.name} answered no checker requests")
    if args.restart:
        say(f"== {restarted[0] if restarted else 'no restart happened'}; "
              f"{failovers} requests retried on the other server")  # fmt: skip
        if not restarted:
            problems.append("the restart did not happen")
        for server in servers:
            if server.served_before_restart is not None:
                after = server.requests_served() - server.served_before_restart
                say(f"== server {server.name} answered {after} checker requests after restarting")
                if after == 0:
                    problems.append(f"server {server.name} served nothing after its restart")
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
    parser.add_argument("--restart", action="store_true", help="restart server A halfway")
    parser.add_argument("--database", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--db-name", default="twitch_load")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    if args.restart and not args.two_servers:
        parser.error("--restart needs --two-servers (someone must answer meanwhile)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
