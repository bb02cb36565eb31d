"""Production settings: `check --deploy` is clean, and DJANGO_SECURE=1 really turns on HTTPS
redirects, a year of HSTS and secure cookies. Settings are read once per process, so each
case runs in a fresh one."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SECURE="1",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="twitch.example.org",
        DJANGO_SETTINGS_MODULE="twitchsite.settings",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def settings_in_subprocess(env: dict[str, str], names: list[str]) -> dict[str, Any]:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE, env=production_env(**env), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_passes_with_production_settings() -> None:
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_when_production_is_misconfigured() -> None:
    """The check really guards production: debug on and a weak key are both caught."""
    done = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=production_env(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="short"),
    )  # fmt: skip
    assert done.returncode != 0
    assert "security.W018" in done.stderr  # DEBUG on
    assert "security.W009" in done.stderr  # weak SECRET_KEY


def test_production_refuses_to_start_without_a_secret_key() -> None:
    done = manage("check", env=production_env(DJANGO_SECRET_KEY=""))
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def test_django_secure_turns_on_https_only_settings() -> None:
    names = [
        "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_HTTPONLY",
    ]  # fmt: skip
    on = settings_in_subprocess({}, names)
    assert on["DEBUG"] is False
    assert on["SECURE_SSL_REDIRECT"] is True
    assert on["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SESSION_COOKIE_HTTPONLY"] is True
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Locally (plain http) cookies must not be Secure, or logging in would silently fail.
    off = settings_in_subprocess({"DJANGO_SECURE": "0"}, names)
    assert not (off["SECURE_SSL_REDIRECT"] or off["SESSION_COOKIE_SECURE"])
