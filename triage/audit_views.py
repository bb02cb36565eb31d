"""The public page "How we check this checker": the figures of triage/data/audit.json.

Nothing on the page is typed by hand: `manage.py audit_checker --write` computes the file
from the reference cases (triage/reference_cases.py), and a test compares the page with a
fresh run. The page holds nothing personal, so it is cached like the articles.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from triage.reference_cases import KINDS, SAMPLE

AUDIT_FILE = Path(__file__).resolve().parent / "data" / "audit.json"

# What each level tells a person to do, in the words of the result page's care cards.
LEVEL_LABELS = {
    "emergency": "Emergency: get help now",
    "urgent": "Urgent: get help today",
    "soon": "Soon: see a GP",
    "self-care": "Self-care at home",
}


def load_audit(path: Path = AUDIT_FILE) -> dict[str, Any]:
    audit: dict[str, Any] = json.loads(path.read_text())
    return audit


def audit_page(audit: dict[str, Any]) -> dict[str, Any]:
    levels = [
        {**row, "label": LEVEL_LABELS.get(row["level"], row["level"])} for row in audit["levels"]
    ]
    misses = [
        {
            **miss,
            "expected_label": LEVEL_LABELS.get(miss["expected"], miss["expected"]),
            "got_label": LEVEL_LABELS.get(miss["got"], miss["got"]),
        }
        for miss in audit["misses"]
    ]
    names = audit.get("condition_names", {})
    cause_misses = [
        {
            **miss,
            "expected_names": [names.get(slug, slug) for slug in miss["expected"]],
            "got_names": [names.get(slug, slug) for slug in miss["got"]],
        }
        for miss in audit["cause_misses"]
    ]
    return {
        "audit": audit,
        "cause_misses": cause_misses,
        "levels": levels,
        "misses": misses,
        # By kind, with "_" for "-" so a template can name them: kinds.amended_row.
        "kinds": {kind.replace("-", "_"): audit["by_kind"].get(kind, 0) for kind in KINDS},
        "red_team": audit["cases"] - audit["by_kind"].get(SAMPLE, 0),
        "generated": datetime.date.fromisoformat(audit["generated"]),
        "page_title": "How we check this checker",
    }


@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/audit.html", audit_page(load_audit()))
