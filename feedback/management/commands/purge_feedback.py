"""`manage.py purge_feedback`: delete readers' feedback older than RETENTION_DAYS (90).

Production runs it daily (a cron job or systemd timer, see README.md), so no answer is
kept longer than the privacy page says."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.models import RETENTION_DAYS, Feedback


class Command(BaseCommand):
    help = f"Delete readers' feedback older than {RETENTION_DAYS} days. Run it daily."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, _ = Feedback.objects.expired().delete()
        self.stdout.write(f"Deleted {deleted} feedback answer(s) older than {RETENTION_DAYS} days.")
