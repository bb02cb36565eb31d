"""`manage.py triage --findings a,b [--json]`: the engine from the command line.

The stable interface of docs/checker-contract.md: one JSON object
{urgency, conditions, reasons, unknown_findings} with --json, readable text without.
Unknown codes are reported, never an error; a malformed call exits non-zero.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.knowledge import assess

_CODE = re.compile(r"^[a-z0-9_]+$")


def parse_findings(value: str) -> list[str]:
    codes = [code.strip() for code in value.split(",")]
    if not value.strip() or not all(codes):
        raise CommandError("--findings needs a comma-separated list of finding codes.")
    bad = [code for code in codes if not _CODE.match(code)]
    if bad:
        raise CommandError(f"Not a finding code (use a-z, 0-9 and _): {bad[0]!r}")
    return codes


class Command(BaseCommand):
    help = "Assess a set of finding codes with the checker's rules and conditions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--findings", required=True, help="Comma-separated codes from findings.yaml."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = parse_findings(options["findings"] or "")
        result = assess(codes)
        payload = {
            "urgency": result.urgency,
            "conditions": [cause.slug for cause in result.causes],
            "reasons": [reason.text for reason in result.reasons],
            "unknown_findings": list(result.unknown_findings),
        }
        if options["json"]:
            self.stdout.write(json.dumps(payload))
            return
        lines = [f"Urgency: {payload['urgency']}", "Why:"]
        lines += [f"  - {text}" for text in payload["reasons"]]
        lines.append("Likely causes, most likely first:")
        lines += [f"  {n}. {slug}" for n, slug in enumerate(payload["conditions"], 1)] or [
            "  (none known)"
        ]
        if payload["unknown_findings"]:
            lines.append("Unknown findings: " + ", ".join(payload["unknown_findings"]))
        self.stdout.write("\n".join(lines))
