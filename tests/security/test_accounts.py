"""Editors' accounts: lockout after repeated failures, strong passwords, no default account."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import F
from django.test import Client

from tests.security.conftest import EDITOR_PASSWORD

BASE = Path(settings.BASE_DIR)
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client: Client, password: str) -> int:
    return client.post(LOGIN, {"username": "editor", "password": password}).status_code


def clock_forward(minutes: int) -> None:
    """Make every recorded failure look `minutes` older, as if time had passed."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_until_the_cool_off_has_passed(editor: User) -> None:
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert 3 <= limit <= 10
    for _ in range(limit - 1):
        assert sign_in(client, "wrong guess") == 200  # the form again, with an error

    locked = client.post(LOGIN, {"username": "editor", "password": "wrong guess"})
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in paused" in page and "try again in 60 minutes" in page.lower()
    # Even the right password is refused while locked out.
    assert sign_in(client, EDITOR_PASSWORD) == 429

    clock_forward(minutes=50)
    assert sign_in(client, EDITOR_PASSWORD) == 429
    clock_forward(minutes=61)
    assert sign_in(client, EDITOR_PASSWORD) == 302  # signed in
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_lockout_does_not_lock_out_other_editors(editor: User) -> None:
    User.objects.create_superuser("colleague", "", "another-long-passphrase-4")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(LOGIN, {"username": "editor", "password": "wrong guess"})
    assert sign_in(attacker, EDITOR_PASSWORD) == 429
    colleague = Client()
    response = colleague.post(
        LOGIN, {"username": "colleague", "password": "another-long-passphrase-4"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "password", ["twitchylegs", "password1234", "123456789012", "editor-editor", "Short1!"]
)
def test_weak_passwords_are_refused(password: str) -> None:
    user = User(username="editor-editor", email="editor-editor@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.django_db
def test_the_admin_refuses_a_weak_password_for_a_new_editor(editor_client: Client) -> None:
    def add(password: str) -> int:
        return editor_client.post(
            "/admin/auth/user/add/",
            {"username": "newbie", "usable_password": "true",
             "password1": password, "password2": password},
        ).status_code  # fmt: skip

    assert add("password1234") == 200  # the form again, with the reason
    assert not User.objects.filter(username="newbie").exists()
    assert add("correct horse battery staple") == 302
    assert User.objects.filter(username="newbie").exists()


@pytest.mark.django_db
def test_no_account_exists_after_setting_up_the_site() -> None:
    """Migrations and load_content (what production runs) create no user at all."""
    assert not User.objects.exists()
    for path in [*BASE.glob("*/fixtures/**/*.yaml"), *BASE.glob("*/fixtures/**/*.json")]:
        records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        assert not [r for r in records if str(r.get("model", "")).startswith("auth.")], path


def test_only_local_make_run_creates_the_admin_account() -> None:
    makefile = (BASE / "Makefile").read_text()
    targets = re.findall(r"^([\w-]+):.*?(?=^[\w-]+:|\Z)", makefile, re.MULTILINE | re.DOTALL)
    using = [t for t in targets if "ensure_admin" in _recipe(makefile, t)]
    assert using == ["run"]
    assert "ensure_admin" not in (BASE / ".ci/run").read_text()


def _recipe(makefile: str, target: str) -> str:
    match = re.search(rf"^{target}:.*?(?=^[\w-]+:|\Z)", makefile, re.MULTILINE | re.DOTALL)
    return match.group(0) if match else ""


@pytest.mark.django_db
def test_the_local_admin_gets_a_fresh_strong_password_never_a_fixed_one() -> None:
    passwords = []
    for _ in range(2):
        out = io.StringIO()
        call_command("ensure_admin", stdout=out)
        passwords.append(re.search(r"password: (\S+)", out.getvalue()).group(1))  # type: ignore[union-attr]
        admin = User.objects.get(username="admin")
        assert admin.check_password(passwords[-1])
        validate_password(passwords[-1], admin)
        admin.delete()
    assert passwords[0] != passwords[1]
