"""docs/checker-contract.md end to end: a driver walks the wizard's HTML (no JavaScript)
for every sample case, and the wizard, `manage.py triage` and the expected answers agree."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from triage import reference_cases
from triage.knowledge import get_data
from triage.tests.helpers import VIGNETTES, client_transport, drive

pytestmark = pytest.mark.django_db
REFERENCES = {reference.id: reference for reference in reference_cases.load_cases()}


def command(findings: list[str]) -> dict[str, Any]:
    out = io.StringIO()
    call_command("triage", "--findings", ",".join(findings), "--json", stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.parametrize("case", VIGNETTES, ids=[c["id"] for c in VIGNETTES])
def test_wizard_command_and_expected_answer_agree(case: dict[str, Any]) -> None:
    page = drive(*client_transport(Client()), case["findings"])
    everything = command(case["findings"])
    assert page.urgency_count == 1
    assert page.urgency == everything["urgency"] == case["expect"]
    # Brief rule 2: an emergency ends the questions, so the wizard may have seen fewer
    # findings than the case lists. Given what it recorded, it ranks exactly as the command.
    assert set(page.recorded) <= set(case["findings"])
    if page.urgency != "emergency":
        assert sorted(page.recorded) == sorted(case["findings"])
    recorded = command(page.recorded)
    assert recorded["urgency"] == page.urgency
    assert page.conditions == recorded["conditions"][: len(page.conditions)]
    # The audit's figures come from the wizard's pure page logic: it sees the same.
    evaluation = reference_cases.evaluate(get_data(), REFERENCES[case["id"]])
    assert (page.urgency, sorted(page.recorded)) == (
        evaluation.urgency,
        sorted(evaluation.recorded),
    )
    assert page.conditions == list(evaluation.causes[: len(page.conditions)])
    for source, ranked in [("wizard", page.conditions), ("command", everything["conditions"])]:
        assert set(case["causes"]) & set(ranked[:3]), (
            f"{case['id']} ({source}): expected one of {case['causes']} in the top three, "
            f"got {ranked[:3]}"
        )
