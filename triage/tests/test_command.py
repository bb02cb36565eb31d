"""`manage.py triage`, the engine's command-line contract (docs/checker-contract.md)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from triage.tests.helpers import FINDINGS, ROOT

pytestmark = pytest.mark.django_db


def run(*codes: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("triage", "--findings", ",".join(codes), "--json", stdout=out)
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_json_has_exactly_the_contract_keys() -> None:
    result = run("kind_cramp", "vomiting_or_diarrhoea")
    assert set(result) == {"urgency", "conditions", "reasons", "unknown_findings"}
    assert result["urgency"] == "urgent"
    assert isinstance(result["conditions"], list) and isinstance(result["reasons"], list)
    assert any("vomiting or diarrhoea" in reason for reason in result["reasons"])
    assert result["unknown_findings"] == []


def test_every_code_of_findings_yaml_is_accepted_at_once() -> None:
    result = run(*FINDINGS)
    assert result["unknown_findings"] == []
    assert result["urgency"] == "emergency"


def test_unknown_codes_are_reported_not_an_error() -> None:
    result = run("kind_flicker", "not_a_code")
    assert result["unknown_findings"] == ["not_a_code"]
    assert result["urgency"] == "self-care"


def test_spaces_around_codes_are_fine() -> None:
    out = io.StringIO()
    call_command("triage", "--findings", " seizure , kind_flicker", "--json", stdout=out)
    assert json.loads(out.getvalue())["urgency"] == "emergency"


def test_without_json_it_prints_readable_text() -> None:
    out = io.StringIO()
    call_command("triage", "--findings", "low_sugar_spells", stdout=out)
    text = out.getvalue()
    assert text.startswith("Urgency: soon")
    assert "Why:" in text and "Likely causes" in text


@pytest.mark.parametrize("value", ["", ",", "kind_flicker,,seizure", "a;b", "Kind Flicker", "x'y"])
def test_a_malformed_list_is_a_command_error(value: str) -> None:
    with pytest.raises(CommandError):
        call_command("triage", "--findings", value, "--json", stdout=io.StringIO())


@pytest.mark.parametrize("args", [["--json"], ["--findings", ""], ["--findings", "a;b"]])
def test_a_malformed_call_exits_non_zero_with_one_line_on_stderr(args: list[str]) -> None:
    # A real process: the contract is about exit codes and stderr.
    done = subprocess.run(
        [sys.executable, "manage.py", "triage", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert done.stderr.strip().splitlines()[-1].strip()
    assert "Traceback" not in done.stderr
