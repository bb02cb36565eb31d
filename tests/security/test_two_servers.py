"""Two servers sharing only SECRET_KEY and PostgreSQL answer checker sessions alternately,
under load, while one of them is stopped and started again: no session may fail.

Runs a short version of `make loadtest-two-servers` (loadtest/run.py), in its own database.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from conftest import skip_or_fail
from harness.server import postgres_available
from tests.security.pages import require_checker


@pytest.mark.servers
@pytest.mark.postgres
@pytest.mark.django_db
def test_checker_sessions_survive_a_restart_across_two_servers(client: Client) -> None:
    require_checker(client)
    if not postgres_available():
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    done = subprocess.run(
        [sys.executable, "-m", "loadtest.run", "--two-servers", "--restart",
         "--duration", "12", "--users", "10", "--spawn-rate", "5",
         # Its own database: another checkout's run may be using twitch_load_pytest.
         "--db-name", f"twitch_load_pytest_{os.getpid()}"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    output = done.stdout + done.stderr
    # The run's own verdict (its "==" and FAIL lines) first, then the end of locust's output.
    lines = done.stdout.splitlines()
    verdict = "\n".join(line for line in lines if line.startswith(("==", "FAIL")))
    assert done.returncode == 0, verdict + "\n" + done.stderr[-2500:]
    assert "PASS: no errors" in output
    assert "restarted" in output and "answered 0 checker requests" not in output
