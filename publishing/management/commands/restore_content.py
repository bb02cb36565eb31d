"""`manage.py restore_content FILE --yes [--partial]`: replace all content with a backup's.

The whole backup is checked before anything commits (publishing/backup.py): a malformed file,
a backup missing a kind of content (without --partial), an invalid object or a result that
would make the symptom checker unsafe is refused with one line, and nothing changes."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.backup import BackupError, restore_backup


class Command(BaseCommand):
    # restore_content repairs what the safety check (triage/checks.py) finds, so it may always run.
    requires_system_checks: list[str] = []
    help = (
        "Replace all content with the content of a backup_content file (- for stdin), in one "
        "transaction. Users and the admin history are kept; the restore is recorded in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by backup_content, or - for stdin.")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: current content will be replaced."
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="Restore only the objects the backup holds, adding or updating them; "
            "delete nothing.",
        )

    def handle(
        self, *args: Any, file: str, yes: bool = False, partial: bool = False, **options: Any
    ) -> None:
        if not yes:
            raise CommandError(
                "This replaces ALL content (editors' changes included) with the backup's. "
                "Take a backup of the current content first (backup_content --output FILE), "
                "then run again with --yes."
            )
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror or error}") from None
        try:
            count = restore_backup(data, partial=partial)
        except BackupError as error:
            raise CommandError(f"Nothing was changed: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Restored {count} content objects from {file}."))
