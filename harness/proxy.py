"""nginx in front of the app servers, as production runs it: the reference config
deploy/nginx.conf itself, its {{...}} placeholders filled for 127.0.0.1, a free port and a
folder of its own, run by Debian's nginx (/usr/sbin/nginx, or $NGINX) as the current user.

Proxy is like harness.server.Server: a context manager, with start() and stop(), and its
access log in a file. behind_proxy() gives app servers the production gunicorn settings
(deploy/gunicorn.conf.py) and one trusted proxy hop. running_stack() starts the whole thing
(N app servers on one database and Redis, nginx in front): the tests (tests/security/
test_proxy.py) and `make stack` (python -m harness.proxy) use it.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import grp
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from harness.server import (
    ROOT,
    Server,
    free_port,
    postgres_database,
    prepare,
    site_env,
    terminate,
    wait_until_up,
)

NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
TEMPLATE = ROOT / "deploy" / "nginx.conf"
PAGES = ROOT / "deploy"  # 413.html
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


def nginx_available() -> bool:
    return NGINX.is_file() and os.access(NGINX, os.X_OK)


def render(template: str, values: dict[str, str], upstreams: list[str]) -> str:
    """Fill a config's placeholders: the line holding {{UPSTREAM}} once per app server, the
    others from `values` (a KeyError if one is missing). Comments are left as they are."""
    lines: list[str] = []
    for line in template.splitlines():
        if line.lstrip().startswith("#"):
            lines.append(line)
        elif "{{UPSTREAM}}" in line:
            lines += [line.replace("{{UPSTREAM}}", upstream) for upstream in upstreams]
        else:
            lines.append(PLACEHOLDER.sub(lambda m: values[m.group(1)], line))
    return "\n".join(lines) + "\n"


def behind_proxy(env: dict[str, str]) -> dict[str, str]:
    """An app server's settings behind nginx: deploy/gunicorn.conf.py (gunicorn reads
    --config from GUNICORN_CMD_ARGS; Server's command-line options still win) and one
    trusted proxy, so that login lockouts see the client's address, not nginx's."""
    return {
        **env,
        "GUNICORN_CMD_ARGS": f"--config {shlex.quote(str(GUNICORN_CONF))}",
        "DJANGO_PROXY_COUNT": "1",
    }


@dataclass
class Proxy:
    """nginx on 127.0.0.1:`port` in front of `upstreams` ("127.0.0.1:8001", ...)."""

    upstreams: list[str]
    static_root: Path
    port: int = field(default_factory=free_port)
    folder: Path | None = None  # its config, logs and temporary files; a new one by default
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        assert self.folder is not None, "not started"
        return self.folder / "access.log"

    @property
    def error_log(self) -> Path:
        assert self.folder is not None, "not started"
        return self.folder / "error.log"

    def config(self) -> str:
        assert self.folder is not None
        # The user directive counts only when nginx starts as root (then its workers must
        # read the test's private folders, so they stay root); otherwise nginx ignores it.
        user = f"{getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name}"
        values = {
            "USER": user,
            "PID_FILE": str(self.folder / "nginx.pid"),
            "LOG_DIR": str(self.folder),
            "TEMP_DIR": str(self.folder / "temp"),
            "LISTEN": f"listen 127.0.0.1:{self.port};",
            "STATIC_ROOT": str(self.static_root),
            "PAGES": str(PAGES),
        }
        return render(TEMPLATE.read_text(), values, self.upstreams)

    def start(self) -> None:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="twitch-nginx-"))
        (self.folder / "temp").mkdir(parents=True, exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(self.config())
        command = [
            str(NGINX), "-p", str(self.folder), "-c", str(conf),
            # Its own error log from the start (not Debian's /var/log/nginx), in the
            # foreground, so that stop() can signal it.
            "-e", str(self.error_log), "-g", "daemon off;",
        ]  # fmt: skip
        with (self.folder / "nginx.out").open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=out, start_new_session=True)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        assert self.process is not None and self.folder is not None
        output = self.folder / "nginx.out"
        wait_until_up(self.process, self.url, "nginx", lambda: f"\n{output.read_text()}")

    def stop(self) -> None:
        """SIGTERM: nginx's fast shutdown (a graceful one would wait for slow clients)."""
        terminate(self.process, 10)

    def log_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines() if self.access_log.exists() else []

    def retried(self, since: int = 0) -> list[str]:
        """Log lines (from line `since` on) of requests nginx passed to more than one app
        server: it lists each it tried."""
        lines = self.log_lines()[since:]
        return [line for line in lines if re.search(r"upstream=\S+, ", line)]

    def __enter__(self) -> Proxy:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass
class Stack:
    proxy: Proxy
    servers: list[Server]
    env: dict[str, str]  # the app servers' settings: another server may join them


@contextlib.contextmanager
def running_stack(
    work: Path,
    database_url: str,
    redis_url: str,
    *,
    servers: int = 2,
    workers: int = 2,
    threads: int = 4,
) -> Iterator[Stack]:
    """`servers` app servers sharing one secret key, the database and Redis, nginx in
    front; everything they write (static files, logs) in `work`."""
    env = behind_proxy(site_env(database_url, work / "static", redis_url=redis_url))
    prepare(env)
    with contextlib.ExitStack() as running:
        apps = [
            running.enter_context(
                Server(
                    env,
                    workers=workers,
                    threads=threads,
                    log=work / f"app{n}.log",
                    access_log=work / f"app{n}-access.log",
                )
            )
            for n in range(servers)
        ]
        upstreams = [f"127.0.0.1:{app.port}" for app in apps]
        proxy = running.enter_context(Proxy(upstreams, work / "static", folder=work / "nginx"))
        yield Stack(proxy, apps, env)


def main(argv: list[str] | None = None) -> int:
    """`make stack`: the stack on PostgreSQL database `twitch_stack` and Redis, until Ctrl+C."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--db-name", default="twitch_stack")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    args = parser.parse_args(argv)
    if not nginx_available():
        raise SystemExit(f"no nginx at {NGINX} (apt-get install nginx)")
    work = Path(tempfile.mkdtemp(prefix="twitch-stack-"))
    with (
        postgres_database(args.db_name) as database_url,
        running_stack(work, database_url, args.redis_url, servers=args.servers) as stack,
    ):
        apps = ", ".join(server.url for server in stack.servers)
        sys.stdout.write(f"nginx {stack.proxy.url} in front of {apps}; logs in {work}\n")
        sys.stdout.write("Ctrl+C to stop\n")
        sys.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
