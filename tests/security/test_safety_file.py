"""The clinical safety file cites tests that exist: a renamed or deleted test must be noticed."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
HAZARDS = [
    "red flag", "rule edit", "lowered", "out of date", "down or slow", "someone else's answers",
    "leak", "ranking", "child", "scripting", "work is lost", "emergency number", "tampered",
    "search",
]  # fmt: skip


def test_every_test_the_safety_file_cites_exists() -> None:
    doc = (BASE / "docs/clinical-safety.md").read_text(encoding="utf-8")
    cited = re.findall(r"`((?:triage|content|tests)/[\w/]+\.py)(?:::(\w+))?`", doc)
    assert len(cited) > 40
    for path, function in cited:
        assert (BASE / path).exists(), path
        if function:
            assert re.search(rf"def {function}\(", (BASE / path).read_text()), f"{path}::{function}"


def test_the_safety_file_covers_every_named_hazard() -> None:
    headings = [
        line.lower()
        for line in (BASE / "docs/clinical-safety.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("### ")
    ]
    for hazard in HAZARDS:
        assert any(hazard in heading for heading in headings), hazard
