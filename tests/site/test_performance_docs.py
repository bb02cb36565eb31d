"""docs/performance.md is what bench/report.py writes from the bench run it names
(docs/performance.json): no figure or verdict on it is typed by hand."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import render

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "docs" / "performance.json"
PAGE = ROOT / "docs" / "performance.md"


def test_the_performance_page_is_generated_from_the_recorded_run() -> None:
    run = json.loads(FIGURES.read_text())
    assert PAGE.read_text() == render(run, "docs/performance.json")


def test_every_target_of_the_run_is_on_the_page_with_its_verdict() -> None:
    run = json.loads(FIGURES.read_text())
    page = PAGE.read_text()
    assert run["checks"], "the run checked no target"
    for check in run["checks"]:
        verdict = "PASS" if check["passed"] else "**MISS**"
        assert f"| {verdict} | {check['label']} | {check['value']} |" in page
    for row in run["rows"] + run["seeded"]:
        assert f"| {row['name'].strip()} | {row['rps']:.0f} |" in page
