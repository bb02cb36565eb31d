"""Content models: QuerySet methods, helpers and natural keys."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import serializers

from content.models import (
    Condition,
    ConditionSymptom,
    DiagnosticTest,
    RedFlag,
    Remedy,
    Source,
    Status,
    Symptom,
    Urgency,
)
from content.tests.helpers import make_condition

pytestmark = pytest.mark.django_db


def test_published_leaves_out_drafts() -> None:
    make_condition("model-draft", status=Status.DRAFT)
    make_condition("model-live")
    slugs = set(Condition.objects.published().values_list("slug", flat=True))
    assert "model-live" in slugs and "model-draft" not in slugs
    assert all(c.status == Status.PUBLISHED for c in Condition.objects.published())


def test_review_overdue_is_strictly_before_today() -> None:
    today = datetime.date(2030, 6, 1)
    make_condition("model-overdue", next_review_due=datetime.date(2030, 5, 31))
    make_condition("model-due-today", next_review_due=today)
    make_condition("model-no-date", next_review_due=None, status=Status.DRAFT)
    overdue = set(Condition.objects.review_overdue(today).values_list("slug", flat=True))
    assert "model-overdue" in overdue
    assert not {"model-due-today", "model-no-date"} & overdue


def test_is_review_overdue_uses_today() -> None:
    assert make_condition("model-old", next_review_due=datetime.date(2000, 1, 1)).is_review_overdue
    assert not make_condition(
        "model-new", next_review_due=datetime.date(2999, 1, 1)
    ).is_review_overdue
    assert not make_condition("model-none", next_review_due=None).is_review_overdue


@pytest.mark.parametrize(
    ("other_names", "expected"),
    [
        ("", []),
        ("Night cramps, charley horse", ["Night cramps", "charley horse"]),
        (" a ,, b ,", ["a", "b"]),
    ],
)
def test_other_names_list(other_names: str, expected: list[str]) -> None:
    assert Condition(other_names=other_names).other_names_list == expected


def test_save_moves_updated_at_forward() -> None:
    condition = make_condition("model-updated")
    before = condition.updated_at
    condition.summary = "Changed."
    condition.save()
    assert condition.updated_at > before


def test_urls_and_names() -> None:
    condition = make_condition("model-url", name="Model url")
    assert condition.get_absolute_url() == "/conditions/model-url/"
    assert str(condition) == "Model url"
    remedy = Remedy.objects.get(slug="stretch-the-muscle")
    assert remedy.get_absolute_url() == "/self-care/#stretch-the-muscle"
    test = DiagnosticTest.objects.get(slug="emg")
    assert test.get_absolute_url() == "/tests-a-doctor-may-do/#emg"
    assert str(test) == "Electromyography (EMG)"


def test_urgency_rank_follows_the_engine_order() -> None:
    ranks = [Urgency.rank(u) for u in ["self-care", "soon", "urgent", "emergency"]]
    assert ranks == sorted(ranks) and len(set(ranks)) == 4


@pytest.mark.parametrize(
    "model", [Condition, Source, Remedy, DiagnosticTest, Symptom, RedFlag, ConditionSymptom]
)
def test_natural_keys_round_trip(model: type[Any]) -> None:
    instance = model.objects.first()
    assert instance is not None, f"no {model.__name__} loaded"
    assert model.objects.get_by_natural_key(*instance.natural_key()) == instance
    text = serializers.serialize(
        "json", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    assert '"pk"' not in text  # fixtures never mention integer ids
    (again,) = serializers.deserialize("json", text)
    assert again.object.pk == instance.pk


def test_red_flags_are_never_less_urgent_than_their_finding() -> None:
    for flag in RedFlag.objects.exclude(finding=None).select_related("finding", "condition"):
        if flag.finding and flag.finding.level:
            assert Urgency.rank(flag.urgency) >= Urgency.rank(flag.finding.level), (
                f"{flag.condition.slug}/{flag.slug}"
            )


def test_published_conditions_have_sources_and_review_dates() -> None:
    for condition in Condition.objects.published().prefetch_related("sources"):
        assert condition.sources.all(), condition.slug
        assert condition.reviewed_on and condition.next_review_due, condition.slug
        assert condition.reviewed_on < condition.next_review_due, condition.slug
        gap = condition.next_review_due - condition.reviewed_on
        assert gap <= datetime.timedelta(days=3 * 366), condition.slug
