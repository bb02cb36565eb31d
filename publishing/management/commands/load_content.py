"""`manage.py load_content`: load every reviewed fixture, in order, idempotently."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.fixture_loading import load_fixtures
from triage.gate import UnsafeChange


class Command(BaseCommand):
    # load_content repairs what the safety check (triage/checks.py) finds, so it may always run.
    requires_system_checks: list[str] = []
    help = (
        "Load all content fixtures (sources, symptoms, remedies, tests, conditions, checker "
        "questions and rules). Objects changed in the admin since the last load are reported "
        "as conflicts and kept, unless --overwrite is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace editors' changes with the fixture version (history keeps theirs).",
        )

    def handle(self, *args: Any, overwrite: bool = False, **options: Any) -> None:
        try:
            report = load_fixtures(overwrite=overwrite)
        except ValueError as error:
            raise CommandError(str(error)) from error
        except UnsafeChange as refusal:
            hint = "" if overwrite else " (--overwrite replaces editors' changes)"
            raise CommandError(
                "Nothing was loaded: the content would leave the symptom checker unsafe"
                f"{hint}:\n  " + "\n  ".join(refusal.problems)
            ) from refusal
        self.stdout.write(
            f"Content: {len(report.created)} created, {len(report.updated)} updated, "
            f"{report.unchanged} unchanged, {len(report.overwritten)} overwritten, "
            f"{len(report.conflicts)} conflicts."
        )
        for label in report.overwritten:
            self.stdout.write(self.style.WARNING(f"  overwrote an admin edit: {label}"))
        if report.conflicts:
            self.stdout.write(
                self.style.WARNING(
                    "These were changed in the admin and differ from the fixtures; kept the "
                    "admin version (use --overwrite to replace it):"
                )
            )
            for label in report.conflicts:
                self.stdout.write(self.style.WARNING(f"  {label}"))
