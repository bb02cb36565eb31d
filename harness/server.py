"""Start the site as production runs it: gunicorn, DEBUG off, collected static files, its own
database. The one launcher behind the benchmark (bench/), the load test (loadtest/) and every
test that starts real servers (tests/browser/, tests/performance/, triage/tests/,
tests/security/ through loadtest/run.py).

site_env() gives production-like settings, prepare() fills a database and a static root,
postgres_database() makes a throwaway PostgreSQL database, and Server is one gunicorn on
127.0.0.1: a context manager, whose stop() and start() may repeat on the same port (a
restart), with its output and, if asked, its access log in files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
READY_TIMEOUT = 60
GRACEFUL_TIMEOUT = 20  # seconds gunicorn gives in-flight requests on SIGTERM
# gunicorn's access log line without the query string (%(U)s is the path alone): no
# checker answer, search or token ever lands in a log. deploy/ uses the same.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def site_env(
    database_url: str,
    static_root: Path,
    redis_url: str = "",
    secret_key: str = "",
) -> dict[str, str]:
    """Production-like settings: DEBUG off, a real secret key, only 127.0.0.1 allowed.
    DJANGO_SECURE stays off because there is no HTTPS proxy in front of a local server.
    Servers given the same `secret_key` and database can serve each other's visitors."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run a manage.py command in `env`; its output, or an error with the output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(env: dict[str, str], *, load_content: bool = True, collectstatic: bool = True) -> None:
    """Migrate, load the real content, collect static files (hashed and compressed).

    A SQLite database and the static files, once prepared, are kept in the temporary folder
    under a key made from the code, migrations, fixtures and static files, and copied from
    there next time: the tests start several sites, and migrating a SQLite file is slow
    (each migration waits for the disk). A PostgreSQL database is kept the same way, as a
    database on the same server to copy from (CREATE DATABASE ... TEMPLATE)."""
    key = _prepared_key()
    url = env["DATABASE_URL"]
    saved_static = PREPARED / f"{key}-static"
    static_root = Path(env["DJANGO_STATIC_ROOT"])
    reuse_db = load_content and _reuse_database(url, key)
    reuse_static = collectstatic and saved_static.is_dir()
    if reuse_static:
        shutil.copytree(saved_static, static_root, dirs_exist_ok=True)
    _prepare(
        env,
        load_content=load_content and not reuse_db,
        collectstatic=collectstatic and not reuse_static,
        migrate=not reuse_db,
    )
    if load_content and not reuse_db:
        _keep_database(url, key)
    if collectstatic and not reuse_static:
        _keep(static_root, saved_static, shutil.copytree)


def _reuse_database(url: str, key: str) -> bool:
    """Fill the database at `url` with a copy of the one kept under `key`; False, and
    nothing done, if none is kept (or the database is neither SQLite nor PostgreSQL)."""
    database = _sqlite_path(url)
    if database is not None:
        saved = PREPARED / f"{key}.sqlite3"
        if not saved.exists():
            return False
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, database)
        return True
    return _is_postgres(url) and _postgres_copy(f"twitchsite_prepared_{key}", url)


def _keep_database(url: str, key: str) -> None:
    """Keep a copy of the database just prepared at `url`, under `key`."""
    database = _sqlite_path(url)
    if database is not None:
        _keep(database, PREPARED / f"{key}.sqlite3", shutil.copyfile)
    elif _is_postgres(url):
        _postgres_keep(url, f"twitchsite_prepared_{key}")


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


PREPARED = Path(tempfile.gettempdir()) / "twitchsite-prepared"
# What a prepared database and static root are made from: any change makes a new key.
PREPARED_FROM = ("content", "triage", "publishing", "feedback", "twitchsite", "static", "templates")


@functools.cache  # the files do not change while the tests run
def _prepared_key() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for folder in PREPARED_FROM:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update((ROOT / "requirements.txt").read_bytes())
    return digest.hexdigest()[:16]


def _sqlite_path(database_url: str) -> Path | None:
    return (
        Path(database_url.removeprefix("sqlite:///"))
        if database_url.startswith("sqlite:///")
        else None
    )


def _keep(made: Path, saved: Path, copy: Any) -> None:
    """Save what was prepared under its key (a copy, then a rename: never half a copy)."""
    PREPARED.mkdir(exist_ok=True)
    partial = saved.with_name(f"{saved.name}.{os.getpid()}.partial")
    copy(made, partial)
    with contextlib.suppress(OSError):  # another process saved it first
        partial.rename(saved)
    if partial.is_dir():
        shutil.rmtree(partial, ignore_errors=True)
    elif partial.exists():
        partial.unlink()


def _postgres_copy(source: str, database_url: str) -> bool:
    """Replace the database of `database_url` by a copy of database `source` on the same
    server, if there is one: False if not."""
    import psycopg
    from psycopg import sql

    target = sql.Identifier(urlsplit(database_url).path.lstrip("/"))
    with psycopg.connect(_maintenance_url(database_url), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source]).fetchone():
            return False
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(target))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(target, sql.Identifier(source))
        )
    return True


def _postgres_keep(database_url: str, saved: str) -> None:
    """Copy the database just prepared to database `saved` (a copy, then a rename: never half
    a copy). Only a saving of time: if the copy fails, the next site is prepared afresh."""
    import psycopg
    from psycopg import sql

    partial = sql.Identifier(f"{saved}_{os.getpid()}")
    made = sql.Identifier(urlsplit(database_url).path.lstrip("/"))
    with psycopg.connect(_maintenance_url(database_url), autocommit=True) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(partial, made))
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(partial, sql.Identifier(saved))
            )
        except psycopg.Error:  # another process saved it first, or `made` was in use
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(partial))


def _prepare(
    env: dict[str, str], *, load_content: bool, collectstatic: bool, migrate: bool
) -> None:
    # Collecting (and compressing) static files is the slow part, and needs no database:
    # it runs meanwhile.
    collecting = (
        subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        if collectstatic
        else None
    )
    try:
        if migrate:
            manage(env, "migrate", "--noinput", "-v0")
        if load_content:
            manage(env, "load_content")
    except BaseException:
        if collecting is not None:
            collecting.kill()
            collecting.wait()
        raise
    if collecting is not None:
        output, _ = collecting.communicate(timeout=600)
        if collecting.returncode:
            raise RuntimeError(f"manage.py collectstatic failed:\n{output.decode()}")


def postgres_available(server_url: str = PG_ADMIN_URL) -> bool:
    try:
        import psycopg

        with psycopg.connect(_maintenance_url(server_url), connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def postgres_database(
    name: str, server_url: str = PG_ADMIN_URL, keep: bool = False
) -> Iterator[str]:
    """A new, empty database `name` (any old one dropped) on the PostgreSQL server of
    `server_url` (a URL of the server or of any database on it). Yields its URL; drops it
    afterwards unless `keep`."""
    import psycopg
    from psycopg import sql

    maintenance = _maintenance_url(server_url)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(maintenance)._replace(path=f"/{name}"))
    finally:
        if not keep:
            with psycopg.connect(maintenance, autocommit=True) as conn:
                conn.execute(drop)


def _maintenance_url(server_url: str) -> str:
    return urlunsplit(urlsplit(server_url)._replace(path="/postgres"))


def default_workers() -> int:
    # gunicorn's advice, (2 x cores) + 1: enough to keep every core busy while some
    # workers wait on the database or the network.
    return 2 * (os.cpu_count() or 1) + 1


def wait_until_up(
    process: subprocess.Popen[bytes], url: str, name: str, output: Callable[[], str]
) -> None:
    """Wait until `url` + "/" answers 200, or fail saying why (`output` tells where the
    process's own messages are, or what they were)."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; {output()}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    terminate(process, 10)
    raise RuntimeError(f"{name} did not answer at {url} within {READY_TIMEOUT} s")


def terminate(process: subprocess.Popen[bytes] | None, grace: float) -> None:
    """SIGTERM, then after `grace` seconds SIGKILL to the whole process group."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@dataclass
class Server:
    """One gunicorn serving twitchsite.wsgi on 127.0.0.1:`port` (a free one by default)."""

    env: dict[str, str]
    workers: int = field(default_factory=default_workers)
    threads: int = 1
    port: int = field(default_factory=free_port)
    log: Path | None = None  # gunicorn's output, appended; else discarded
    access_log: Path | None = None  # one line per request, if given
    cpus: set[int] | None = None  # pin the server (master and workers) to these CPUs
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "twitchsite.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads),
            "--graceful-timeout", str(GRACEFUL_TIMEOUT),
            # Longer than a visitor's pause between pages: a connection the server closes
            # just as the client reuses it would look like an outage.
            "--keep-alive", "5",
            # gunicorn 27's control socket has one default path per user: several servers
            # (two here, or someone else's) would fight over it.
            "--no-control-socket",
        ]  # fmt: skip
        if self.access_log:
            command += ["--access-logfile", str(self.access_log)]
            command += ["--access-logformat", ACCESS_LOG_FORMAT]
        with contextlib.ExitStack() as stack:
            out = stack.enter_context(self.log.open("ab")) if self.log else subprocess.DEVNULL
            # Its own process group, so that stop() can kill the workers too if need be.
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
            if self.cpus:  # the workers it forks inherit the master's affinity
                os.sched_setaffinity(self.process.pid, self.cpus)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        assert self.process is not None
        wait_until_up(self.process, self.url, "gunicorn", lambda: f"see {self.log}")

    def stop(self) -> None:
        """SIGTERM: gunicorn stops accepting, finishes the requests it has, then exits."""
        terminate(self.process, GRACEFUL_TIMEOUT + 10)

    def restart(self, down_for: float = 1.0) -> None:
        """Stop, stay down `down_for` seconds, start again on the same port."""
        self.stop()
        time.sleep(down_for)
        self.start()

    def requests_served(self, prefix: str = "/") -> int:
        """GET and POST requests under `prefix` in the access log."""
        if self.access_log is None or not self.access_log.exists():
            return 0
        marks = (f'"GET {prefix}', f'"POST {prefix}')
        return sum(
            any(mark in line for mark in marks) for line in self.access_log.read_text().splitlines()
        )

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
