"""An article's label must be honest (issue 13, point 1).

A page labelled "Usually harmless" must not have a 999 card for a sign that is the
condition itself. Which 999 cards are "the condition itself" is read from data, not from
the wording of the card:

- its finding is an emergency on its own (`Symptom.level`) and the article's own profile
  (`ConditionSymptom`) weighs it common or hallmark: the sign is one of the condition's
  typical findings, so the emergency is this condition (low blood sugar that does not get
  better after sugar); or
- its finding is part of an active emergency combination rule that names this condition
  (`triage/fixtures/rules.yaml`, read as YAML: content never imports the checker): the
  checker itself gives this condition as the reason for a 999 result.

A 999 card whose sign the profile weighs "sometimes" or not at all is a general warning
that many pages repeat (chest pain, a fluttering heartbeat with fainting), and allowed.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from content.models import Condition, Seriousness, Typicality, Urgency
from content.tests.test_articles import PUBLISHED

BASE = Path(settings.BASE_DIR)
RULES = BASE / "triage/fixtures/rules.yaml"
RULE_FINDING_LISTS = ("all_of", "any_of", "any_of_2", "any_of_3", "two_of")


@cache
def emergency_rule_findings() -> dict[str, frozenset[str]]:
    """Condition slug: the findings of the active emergency rules that name it."""
    found: dict[str, set[str]] = defaultdict(set)
    for obj in yaml.safe_load(RULES.read_text()) or []:
        fields = obj.get("fields", {})
        if obj.get("model") != "triage.combinationrule" or not fields.get("active", True):
            continue
        if fields["level"] != Urgency.EMERGENCY:
            continue
        codes = {key[0] for name in RULE_FINDING_LISTS for key in fields.get(name) or []}
        for (slug,) in fields.get("conditions") or []:
            found[slug] |= codes
    return {slug: frozenset(codes) for slug, codes in found.items()}


def own_emergency_cards(condition: Condition) -> list[str]:
    """The condition's 999 cards for a sign that is the condition itself, as readable text."""
    weights = {
        typical.symptom.code: typical.weight
        for typical in condition.typical_symptoms.select_related("symptom")
    }
    by_rule = emergency_rule_findings().get(condition.slug, frozenset())
    own = []
    for flag in condition.red_flags.select_related("finding"):
        if flag.urgency != Urgency.EMERGENCY or flag.finding is None:
            continue
        code = flag.finding.code
        typical = (
            flag.finding.level == Urgency.EMERGENCY and weights.get(code, 0) >= Typicality.COMMON
        )
        if typical:
            own.append(f"{flag.slug} ({code}, weighed {weights[code]} in its profile)")
        elif code in by_rule:
            own.append(f"{flag.slug} ({code}, in an emergency rule that names it)")
    return own


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_usually_harmless_label_has_no_999_card_for_the_condition_itself(slug: str) -> None:
    condition = Condition.objects.get(slug=slug)
    if condition.seriousness != Seriousness.HARMLESS:
        return
    own = own_emergency_cards(condition)
    assert not own, (
        f"{slug} is labelled 'Usually harmless' but has a 999 card for the condition "
        f"itself: {'; '.join(own)}. Give it the honest label (see-a-doctor or emergency)."
    )


# --- the check itself catches what it should, and only that ---------------------------------


@pytest.mark.django_db
def test_a_hallmark_emergency_sign_counts_as_the_condition_itself() -> None:
    condition = Condition.objects.get(slug="low-blood-sugar")
    own = own_emergency_cards(condition)
    assert any(card.startswith("not-improving-diabetes ") for card in own), own


@pytest.mark.django_db
def test_a_finding_of_an_emergency_rule_naming_it_counts_as_the_condition_itself() -> None:
    # A fluttering heartbeat alone is a "soon" sign; the emergency rule for it with
    # fainting names electrolyte imbalance, so the card is that condition's own.
    assert "electrolyte-imbalance" in emergency_rule_findings()
    own = own_emergency_cards(Condition.objects.get(slug="electrolyte-imbalance"))
    assert any(card.startswith("palpitations-with-fainting ") for card in own), own


@pytest.mark.django_db
def test_a_general_warning_does_not_count() -> None:
    # Chest pain on the caffeine page is a warning about something else: caffeine's profile
    # does not weigh it, and no emergency rule names caffeine.
    condition = Condition.objects.get(slug="caffeine-and-stimulants")
    assert condition.red_flags.filter(slug="chest-pain", urgency=Urgency.EMERGENCY).exists()
    assert not any(card.startswith("chest-pain ") for card in own_emergency_cards(condition))


@pytest.mark.django_db
def test_the_label_test_fails_for_a_usually_harmless_page_with_its_own_999_card() -> None:
    condition = Condition.objects.get(slug="low-blood-sugar")
    condition.seriousness = Seriousness.HARMLESS
    condition.save()
    with pytest.raises(AssertionError, match="low-blood-sugar is labelled 'Usually harmless'"):
        test_usually_harmless_label_has_no_999_card_for_the_condition_itself("low-blood-sugar")
