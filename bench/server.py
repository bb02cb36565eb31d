"""Start the site as production runs it: gunicorn, DEBUG off, collected static files.

Used by the benchmark (bench/run.py), the Lighthouse script (bench/lighthouse.py) and the
tests that start real servers (tests/performance/). Everything binds 127.0.0.1 on a free
port and is stopped on exit.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    DJANGO_SECURE stays off because there is no HTTPS proxy in front of a local server."""
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
    """Migrate, load the real content, collect static files (hashed and compressed)."""
    manage(env, "migrate", "--noinput", "-v0")
    if load_content:
        manage(env, "load_content")
    if collectstatic:
        manage(env, "collectstatic", "--noinput", "-v0")


def default_workers() -> int:
    # gunicorn's advice, (2 x cores) + 1: enough to keep every core busy while some
    # workers wait on the database or the network.
    return 2 * (os.cpu_count() or 1) + 1


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str],
    workers: int | None = None,
    threads: int = 1,
    log: Path | None = None,
) -> Iterator[str]:
    """Serve twitchsite.wsgi with gunicorn on a free port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "twitchsite.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers or default_workers()),
        "--threads",
        str(threads),
        "--backlog",
        "256",
        "--graceful-timeout",
        "5",
        # gunicorn 27's control socket has one default path per user: several servers
        # (the two-server test, other people's) would fight over it.
        "--no-control-socket",
    ]
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(log.open("ab")) if log else subprocess.DEVNULL
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url, process)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base_url + "/robots.txt", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {base_url} within {timeout} s")
