"""Readers' answers to "Was this page helpful?", kept for RETENTION_DAYS.

Privacy by design: a row holds the page's path, yes or no, the optional text and the day,
nothing else (no IP address, cookie, user agent, session or exact time), so no row can be
tied to a person. Editors read it in the admin (feedback/admin.py), read-only; `manage.py
purge_feedback` deletes it when it is older than RETENTION_DAYS.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import models
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

RETENTION_DAYS = 90
TEXT_MAX_LENGTH = 500


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def expired(self, today: datetime.date | None = None) -> FeedbackQuerySet:
        """Older than RETENTION_DAYS: what `purge_feedback` deletes."""
        today = today or timezone.localdate()
        return self.filter(created_on__lt=today - datetime.timedelta(days=RETENTION_DAYS))

    def by_page(self) -> models.QuerySet[Feedback, dict[str, object]]:
        """One row per page: answers, yes, no, texts and the percentage answering yes."""
        return (
            self.order_by()
            .values("page")
            .annotate(
                answers=Count("pk"),
                yes=Count("pk", filter=Q(helpful=True)),
                no=Count("pk", filter=Q(helpful=False)),
                texts=Count("pk", filter=~Q(text="")),
            )
            .annotate(helpful_percent=Cast(F("yes"), FloatField()) * 100 / F("answers"))
        )


class Feedback(models.Model):
    """One reader's answer. Seen in the admin under "Readers' feedback", never edited."""

    # A random id, not a counter: numbered rows would keep the order they came in, which
    # the times in an access log could match to a request.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    page = models.CharField(
        max_length=200, help_text="The address of the page the answer is about."
    )
    helpful = models.BooleanField(help_text="Whether the reader found the page helpful.")
    text = models.TextField(
        "what was missing",
        max_length=TEXT_MAX_LENGTH,
        blank=True,
        help_text="What the reader said was missing (optional).",
    )
    # The day only, not the time: with an exact time a row could be matched to a line in
    # the server's access log (which holds the client's address), and so to a person.
    created_on = models.DateField(
        "date",
        default=timezone.localdate,
        editable=False,
        db_index=True,
        help_text=f"The day the answer was sent; deleted {RETENTION_DAYS} days later.",
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "page"]
        verbose_name = "feedback"
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["page"])]

    def __str__(self) -> str:
        return f"{'Yes' if self.helpful else 'No'} on {self.page} ({self.created_on:%d %b %Y})"

    def get_absolute_url(self) -> str:
        return self.page


class PageSummary(Feedback):
    """The admin's "Feedback by page": answers counted per page (feedback/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = "feedback by page"
        verbose_name_plural = "feedback by page"
