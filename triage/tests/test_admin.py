"""The checker's admin: editable with history, and no edit may lower clinical safety."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from content.models import Symptom
from triage.admin import CombinationRuleForm
from triage.models import CombinationRule, Question, Step

pytestmark = pytest.mark.django_db


def form_data(rule: CombinationRule, **changes: Any) -> dict[str, Any]:
    data = {
        "slug": rule.slug,
        "name": rule.name,
        "level": rule.level,
        "reason": rule.reason,
        "source": rule.source,
        "active": rule.active,
        "all_of": [s.pk for s in rule.all_of.all()],
        "any_of": [s.pk for s in rule.any_of.all()],
        "any_of_2": [s.pk for s in rule.any_of_2.all()],
        "any_of_3": [s.pk for s in rule.any_of_3.all()],
        "two_of": [s.pk for s in rule.two_of.all()],
        "conditions": [c.pk for c in rule.conditions.all()],
    }
    data.update(changes)
    if not data["active"]:
        data.pop("active")
    return data


def pks(*codes: str) -> list[int]:
    return list(Symptom.objects.filter(code__in=codes).values_list("pk", flat=True))


def check(slug: str, **changes: Any) -> CombinationRuleForm:
    """Validate the admin form for a rule; tuples of finding codes become their ids."""
    changes = {k: pks(*v) if isinstance(v, tuple) else v for k, v in changes.items()}
    rule = CombinationRule.objects.get(slug=slug)
    form = CombinationRuleForm(form_data(rule, **changes), instance=rule)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("slug", "changes", "field"),
    [
        ("serotonin-syndrome-severe", {"level": "urgent"}, "level"),
        ("statin-muscle-symptoms", {"level": "soon"}, "level"),
        ("cramps-after-fluid-loss", {"active": False}, "active"),
        ("diabetic-foot", {"all_of": ("diabetes", "foot_wound_not_healing", "fever")}, "all_of"),
        ("statin-muscle-symptoms", {"any_of": ("muscle_pain",)}, "any_of"),
        ("child-under-16", {"any_of": ("kind_flicker",)}, "any_of"),
        ("twitch-over-2-weeks", {"any_of_2": ("caffeine_high",)}, "any_of_2"),
        ("clot-without-swelling", {"any_of_3": ("pregnant",)}, "any_of_3"),
        (
            "lithium-or-antipsychotic-toxicity",
            {"two_of": ("vomiting_or_diarrhoea", "kind_jerk")},
            "two_of",
        ),
        ("muscle-breakdown-no-pee", {"level": "urgent"}, "level"),
    ],
)
def test_an_edit_that_lowers_a_brief_rule_is_refused(
    slug: str, changes: dict[str, Any], field: str
) -> None:
    form = check(slug, **changes)
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.parametrize(
    ("slug", "changes"),
    [
        ("statin-muscle-symptoms", {"level": "emergency"}),
        (
            "statin-muscle-symptoms",
            {"any_of": ("muscle_pain", "weakness_or_stiffness", "kind_cramp", "muscle_wasting")},
        ),
        ("clot-without-swelling", {"any_of_3": ()}),
        ("lithium-or-antipsychotic-toxicity", {"two_of": ()}),
        ("serotonin-syndrome", {"reason": "Clearer words for the same rule."}),
    ],
)
def test_an_edit_that_keeps_or_raises_safety_is_allowed(slug: str, changes: dict[str, Any]) -> None:
    form = check(slug, **changes)
    assert form.is_valid(), form.errors


def test_a_rule_without_findings_is_refused() -> None:
    form = CombinationRuleForm(
        {
            "slug": "new-rule",
            "name": "New",
            "level": "soon",
            "reason": "r",
            "source": "s",
            "active": True,
            "all_of": [],
            "any_of": [],
            "conditions": [],
        }
    )
    assert not form.is_valid()
    assert "at least one finding" in str(form.errors)


def test_clinical_safety_can_edit_checker_data_and_the_history_keeps_who_and_why(
    clinician: User,
) -> None:
    client = Client()
    client.force_login(clinician)
    question = Question.objects.get(slug="age")
    step = Step.objects.get(slug="about-you")
    rule = CombinationRule.objects.get(slug="diabetic-foot")
    for url in [
        "/admin/triage/step/",
        f"/admin/triage/step/{step.pk}/change/",
        f"/admin/triage/question/{question.pk}/change/",
        f"/admin/triage/combinationrule/{rule.pk}/change/",
        f"/admin/triage/combinationrule/{rule.pk}/history/",
    ]:
        assert client.get(url).status_code == 200, url
    version = str(rule.history.latest("history_id").history_id)
    response = client.post(
        f"/admin/triage/combinationrule/{rule.pk}/change/",
        form_data(
            rule,
            reason="A foot wound that will not heal needs a check today.",
            change_reason="Plainer words",
            edit_version=version,
        ),
    )
    assert response.status_code == 302
    assert rule.history.count() >= 2  # loaded + edited
    latest = rule.history.latest("history_id")
    assert (latest.history_user, latest.history_change_reason) == (clinician, "Plainer words")
    delete = client.get(f"/admin/triage/combinationrule/{rule.pk}/delete/")
    assert delete.status_code == 403  # a brief rule cannot be deleted
