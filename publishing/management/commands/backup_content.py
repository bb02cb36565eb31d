"""`manage.py backup_content [--output FILE]`: all content as natural-key JSON."""

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from publishing.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write all content (articles, symptoms, remedies, tests, sources, checker steps, "
        "questions and rules) as natural-key JSON, to FILE or stdout. No users, no history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: stdout).")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        if output is None:
            buffer = io.StringIO()
            write_backup(buffer)
            self.stdout.write(buffer.getvalue())
            return
        path = Path(output)
        partial = path.with_name(path.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            count = write_backup(stream)
        partial.replace(path)  # never leave half a backup under the real name
        self.stderr.write(f"Backed up {count} content objects to {path}.")
