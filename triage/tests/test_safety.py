"""The checker's safety rules (triage/safety.py) hold for the reviewed content, and a
database broken by a route outside the admin fails `manage.py check` and makes every
checker page refuse to answer, with the emergency advice instead."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from content.models import RedFlag, Symptom
from triage import gate, safety
from triage.knowledge import clear_cache
from triage.models import CombinationRule, Option, Question, Step

pytestmark = pytest.mark.django_db


def test_the_reviewed_content_is_safe() -> None:
    assert safety.problems() == []
    call_command("check")  # raises SystemCheckError on any problem


def show_emergency_only_in_pregnancy() -> None:
    Question.objects.get(slug="emergency-signs").shown_if_any.set(
        Symptom.objects.filter(code="pregnant")
    )


def move_the_emergency_step_last() -> None:
    Step.objects.filter(slug="emergency").update(order=999)


def remap_chest_pain_to_a_cramp() -> None:
    Option.objects.filter(
        question__slug="emergency-signs", symptom__code="chest_pain_or_breathless"
    ).update(symptom=Symptom.objects.get(code="cramp_over_10_minutes"))


def lower_a_fit_and_clear_its_finding() -> None:
    flag = RedFlag.objects.filter(finding__code="seizure").first()
    assert flag is not None
    RedFlag.objects.filter(pk=flag.pk).update(finding=None, urgency="soon")


def lower_a_finding() -> None:
    Symptom.objects.filter(code="seizure").update(level="soon", floor_level="soon")


def switch_off_an_emergency_rule() -> None:
    CombinationRule.objects.filter(slug="serotonin-syndrome-severe").update(active=False)


def narrow_an_urgent_rule() -> None:
    CombinationRule.objects.get(slug="statin-muscle-symptoms").any_of.set(
        Symptom.objects.filter(code="muscle_pain")
    )


def hide_the_health_question() -> None:
    """Breaks no rule about levels: only the reference cases (pregnant with a swollen calf,
    a previous clot) show it under-triages."""
    Question.objects.get(slug="health").shown_if_any.set(Symptom.objects.filter(code="kind_cramp"))


def remap_an_about_you_option_to_a_cramp() -> None:
    Option.objects.filter(question__slug="health", symptom__code="diabetes").update(
        symptom=Symptom.objects.get(code="kind_cramp")
    )


def stop_asking_about_kidney_disease() -> None:
    Option.objects.filter(symptom__code="kidney_disease").delete()


def hide_emergency_signs_behind_a_gateway() -> None:
    Question.objects.filter(slug="emergency-signs-more").update(
        behind=Question.objects.get(slug="other-symptoms")
    )


def give_a_gateway_options() -> None:
    """A gateway's page has only Yes and No: boxes on it would never be shown."""
    Option.objects.filter(question__slug="legs", symptom__code="foot_drop").update(
        question=Question.objects.get(slug="legs-gateway")
    )


def hide_the_legs_behind_a_later_gateway() -> None:
    Question.objects.filter(slug="legs").update(behind=Question.objects.get(slug="health-gateway"))


ATTACKS = [
    show_emergency_only_in_pregnancy,
    hide_emergency_signs_behind_a_gateway,
    give_a_gateway_options,
    hide_the_legs_behind_a_later_gateway,
    move_the_emergency_step_last,
    remap_chest_pain_to_a_cramp,
    lower_a_fit_and_clear_its_finding,
    lower_a_finding,
    switch_off_an_emergency_rule,
    narrow_an_urgent_rule,
    hide_the_health_question,
    remap_an_about_you_option_to_a_cramp,
    stop_asking_about_kidney_disease,
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.__name__ for a in ATTACKS])
def test_a_database_broken_outside_the_admin_is_caught(
    client: Client, attack: Callable[[], None]
) -> None:
    attack()
    clear_cache()
    assert gate.problems()
    with pytest.raises(SystemCheckError):
        call_command("check")
    for url in ["/check/", "/check/begin/", "/check/1/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 503, url
        assert "The checker is unavailable" in html and "999" in html
        assert "data-urgency" not in html  # it gives no answer at all


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        (hide_the_health_question, "reference case(s) would get less urgent advice: "),
        (remap_an_about_you_option_to_a_cramp, "a finding of a kind that page does not ask for"),
        (stop_asking_about_kidney_disease, "No question offers these findings any more: kidney"),
        (move_the_emergency_step_last, "must be the first page"),
        (lower_a_fit_and_clear_its_finding, "it was reviewed as emergency"),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_each_problem_says_what_is_wrong(attack: Callable[[], None], words: str) -> None:
    attack()
    assert any(words in problem for problem in gate.problems()), gate.problems()
