"""`manage.py purge_feedback` deletes answers older than 90 days, and only those."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import Feedback

pytestmark = pytest.mark.django_db


def test_purge_deletes_answers_older_than_90_days_and_keeps_the_rest() -> None:
    today = timezone.localdate()
    ages = {"new": 0, "month": 30, "last-day-kept": 90, "old": 91, "older": 400}
    for page, days in ages.items():
        Feedback.objects.create(
            page=f"/{page}/", helpful=True, created_on=today - datetime.timedelta(days=days)
        )
    out = io.StringIO()
    call_command("purge_feedback", stdout=out)
    assert sorted(Feedback.objects.values_list("page", flat=True)) == [
        "/last-day-kept/",
        "/month/",
        "/new/",
    ]
    assert "Deleted 2 feedback answer(s) older than 90 days" in out.getvalue()
    call_command("purge_feedback", stdout=out)  # safe to run again: nothing more to delete
    assert Feedback.objects.count() == 3
