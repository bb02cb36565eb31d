"""`manage.py audit_checker [--json] [--write]`: how the checker does on the reference cases.

Runs every case of triage/cases/*.yaml through the checker's pages (triage/reference_cases.py)
with the rules and conditions in the database, and prints the figures. `--write` saves
them to triage/data/audit.json, which the public page "How we check this checker" shows;
a test fails when that file no longer matches a fresh run, so after changing the rules,
the conditions or the cases, run `manage.py audit_checker --write` and commit the file.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from triage import reference_cases
from triage.audit_views import AUDIT_FILE
from triage.knowledge import get_data


def current_summary() -> dict[str, Any]:
    """The figures of a fresh run against the database (no run date)."""
    return reference_cases.audit(
        get_data(),
        reference_cases.load_cases(),
        files=len(reference_cases.case_files()),
    )


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def as_text(summary: dict[str, Any]) -> str:
    overall, causes = summary["overall"], summary["top3_causes"]
    files = ", ".join(f"{name} {n}" for name, n in summary["by_file"].items())
    kinds = ", ".join(f"{kind} {n}" for kind, n in summary["by_kind"].items())
    lines = [
        f"{summary['cases']} cases in {summary['case_files']} files ({files})",
        f"Kinds: {kinds}",
        "",
        f"{'expected':<10} {'n':>4} {'exact':>6} {'under':>6} {'over':>6}",
    ]
    for row in summary["levels"]:
        lines.append(
            f"{row['level']:<10} {row['n']:>4} {row['exact']:>6} {row['under']:>6} {row['over']:>6}"
        )
    lines += [
        f"{'all':<10} {overall['n']:>4} {overall['exact']:>6} {overall['under']:>6}"
        f" {overall['over']:>6}",
        "",
        f"Right urgency: {overall['exact']} of {overall['n']} ({overall['exact_percent']}%); "
        f"less urgent than it should be: {overall['under']} ({overall['under_percent']}%); "
        f"more urgent: {overall['over']} ({overall['over_percent']}%)",
        f"An acceptable cause in the top 3: {causes['hits']} of {causes['n']} "
        f"({causes['percent']}%)",
    ]
    if summary["misses"]:
        lines += ["", "Urgency misses:"]
        lines += [
            f"  {m['id']} ({m['file']}, {m['kind']}): expected {m['expected']}, got {m['got']}"
            f" ({m['outcome']})"
            for m in summary["misses"]
        ]
    if summary["cause_misses"]:
        lines += ["", "Cause misses (expected one of; got the top 3):"]
        lines += [
            f"  {m['id']}: {', '.join(m['expected'])}; got {', '.join(m['got']) or 'none'}"
            for m in summary["cause_misses"]
        ]
    if summary["unrecorded"]:
        lines += ["", "Case findings the checker did not record (before any emergency stop):"]
        for item in summary["unrecorded"]:
            for code, why in item["findings"].items():
                lines.append(f"  {item['id']}: {code}: {why}")
    if summary["unanswerable"]:
        lines += ["", "Required questions with no answer that fits the case (no 'none' option):"]
        lines += [
            f"  {item['id']}: {', '.join(item['questions'])}" for item in summary["unanswerable"]
        ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Run the reference cases through the checker and print (or save) the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument(
            "--cases",
            action="store_true",
            help="Print each case's result as JSON instead (id: urgency, causes, recorded).",
        )
        parser.add_argument(
            "--write",
            action="store_true",
            help="Also save them, with today's date, to triage/data/audit.json.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"]:
            data = get_data()
            results = {
                case.id: {
                    "urgency": e.urgency,
                    "causes": list(e.causes),
                    "recorded": list(e.recorded),
                    "pages": list(e.pages),
                }
                for case in reference_cases.load_cases()
                if (e := reference_cases.evaluate(data, case))
            }
            self.stdout.write(dumps(results))
            return
        summary = current_summary()
        self.stdout.write(dumps(summary) if options["json"] else as_text(summary))
        if options["write"]:
            payload = {"generated": timezone.localdate().isoformat(), **summary}
            AUDIT_FILE.write_text(dumps(payload))
            if not options["json"]:
                self.stdout.write(f"\nWrote {AUDIT_FILE}")
