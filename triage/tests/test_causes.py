"""Causes and reasons on the result, as the December 2026 brief makes them exact
("Causes and reasons on the result", points 1 to 6; point 6 is in test_flow.py)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import engine, presenters
from triage.knowledge import assess, get_data
from triage.reference_cases import walk
from triage.tests.helpers import FINDINGS, ROOT

pytestmark = pytest.mark.django_db

CODES = sorted(FINDINGS)
SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HIGH = [c for c, s in FINDINGS.items() if s["level"] in {"urgent", "emergency"}]


def profiles(knowledge: engine.Knowledge) -> dict[str, engine.ConditionProfile]:
    return {p.slug: p for p in knowledge.conditions}


@SETTINGS
@given(codes=st.sets(st.sampled_from(CODES), max_size=12))
def test_a_cause_is_listed_only_on_a_hallmark_or_common_symptom(
    db_knowledge: engine.Knowledge, codes: set[str]
) -> None:
    """Points 1 and 2: never on age or context alone; "because" only from its profile.
    A cause is listed on a hallmark or common symptom, or on a symptom of its own profile
    that a matched rule naming it rests on (a clot for a cramping calf with a clot risk)."""
    by_slug = profiles(db_knowledge)
    present = frozenset(codes)
    on_rules: dict[str, set[str]] = {}
    for rule in db_knowledge.rules:
        if rule.matches(present):
            for slug in rule.conditions:
                on_rules.setdefault(slug, set()).update(rule.matched_findings(present))
    for cause in engine.assess(codes, db_knowledge).causes:
        weights = by_slug[cause.slug].weights
        assert set(cause.matched) <= set(weights) & codes
        symptoms = [c for c in cause.matched if not db_knowledge.findings[c].context]
        assert any(weights[c] >= 2 or c in on_rules.get(cause.slug, ()) for c in symptoms), (
            cause.slug,
            cause.matched,
        )


@pytest.mark.parametrize(
    "codes",
    [
        ["age_60_plus"],
        ["age_16_to_59", "pregnant", "recent_surgery_or_immobile", "previous_clot"],
        ["age_60_plus", "takes_statin", "takes_diuretic", "diabetes", "kidney_disease"],
        ["age_16_to_59", "cancer_or_cancer_treatment", "hormone_pill_or_hrt"],
    ],
)
def test_context_alone_lists_no_cause(db_knowledge: engine.Knowledge, codes: list[str]) -> None:
    assert engine.assess(codes, db_knowledge).causes == ()


def minimal_match(rule: engine.Rule) -> set[str]:
    codes = set(rule.all_of)
    for least, group in rule.all_groups:
        codes |= set(sorted(group)[:least])
    return codes


@pytest.mark.parametrize("code", HIGH)
def test_an_urgent_sign_is_explained_by_the_first_cause(
    db_knowledge: engine.Knowledge, code: str
) -> None:
    """Point 3 for single signs: the first cause explains it, never a harmless one."""
    result = engine.assess(["age_16_to_59", "kind_flicker", "caffeine_high", code], db_knowledge)
    assert result.causes, code
    first = result.causes[0]
    assert first.explains_level, (code, first.slug)
    assert profiles(db_knowledge)[first.slug].seriousness != "usually-harmless"


def test_every_urgent_rule_is_explained_by_the_first_cause(db_knowledge: engine.Knowledge) -> None:
    """Point 3 for combinations: each rule at urgent or above names a cause that comes
    first on the rule's smallest match (with a harmless twitch and coffee beside it)."""
    high = [r for r in db_knowledge.rules if engine.rank(r.level) >= engine.rank(engine.URGENT)]
    assert high
    for rule in high:
        codes = minimal_match(rule) | {"age_16_to_59", "kind_flicker", "caffeine_high"}
        result = engine.assess(codes, db_knowledge)
        assert result.causes, rule.slug
        first = result.causes[0]
        assert first.explains_level, (rule.slug, first.slug)
        assert profiles(db_knowledge)[first.slug].seriousness != "usually-harmless"


@pytest.mark.parametrize("code", HIGH)
def test_the_deciding_reason_comes_first_and_says_what_it_may_mean(
    db_knowledge: engine.Knowledge, code: str
) -> None:
    """Point 4."""
    finding = db_knowledge.findings[code]
    assert finding.concern, f"{code} needs a 'what it may mean' line (Symptom.concern)"
    result = engine.assess(["kind_flicker", code], db_knowledge)
    assert result.reasons[0].level == result.urgency
    if result.reasons[0].findings == (code,):
        assert finding.concern in result.reasons[0].text


def test_a_swollen_calf_says_it_can_be_a_clot(db_knowledge: engine.Knowledge) -> None:
    result = engine.assess(["location_calf", "calf_swollen_one_side"], db_knowledge)
    assert "blood clot" in result.reasons[0].text
    assert result.causes[0].slug == "deep-vein-thrombosis"


def result_for(findings: list[str]) -> dict[str, Any]:
    data = get_data()
    return presenters.result_page(data, walk(data.flow, data.knowledge, findings))


def remedy_slugs(page: dict[str, Any]) -> list[str]:
    return [r.slug for r in page["remedies"]]


def test_self_care_fits_the_answers() -> None:
    """Point 5: no "stop smoking" for a person who did not say they smoke."""
    base = ["age_16_to_59", "kind_flicker", "location_calf", "duration_under_1_week"]
    calm = result_for([*base, "stress_or_anxiety"])
    assert calm["urgency"] == "self-care"
    offered = remedy_slugs(calm)
    assert offered, "a self-care result offers self-care"
    for slug in ["stop-smoking", "cut-down-caffeine", "cut-down-alcohol"]:
        assert slug not in offered
    data = get_data()
    tied = {r.slug: r.only_with for links in data.remedies.values() for r in links}
    for slug in offered:
        assert not tied[slug] or tied[slug] & {*base, "stress_or_anxiety"}, slug
    coffee = result_for([*base, "caffeine_high", "smoking"])
    assert "cut-down-caffeine" in remedy_slugs(coffee)


def test_pregnancy_with_a_swollen_calf_names_the_midwife_and_a_clot_first() -> None:
    """Point 3 and the pregnancy row: a clot, not harmless cramps, and the midwife."""
    page = result_for(
        ["age_16_to_59", "pregnant", "kind_cramp", "location_calf", "one_leg_only",
         "duration_under_1_week", "calf_swollen_one_side"]
    )  # fmt: skip
    assert page["urgency"] == "urgent"
    causes = [c["slug"] for c in page["causes"]]
    assert causes[0] == "deep-vein-thrombosis"
    assert page["pregnant"] is True
    reasons = " ".join(r["text"] for r in page["reasons"])
    assert "midwife or maternity unit" in reasons


def test_because_you_said_uses_the_words_the_person_ticked() -> None:
    """Point 2: in the person's own answers' words (the option they ticked)."""
    page = result_for(["age_16_to_59", "kind_jerk_falling_asleep", "duration_1_to_2_weeks"])
    causes = {c["slug"]: c for c in page["causes"]}
    assert "hypnic-jerks" in causes
    assert causes["hypnic-jerks"]["because"] == ["a jolt just as you fall asleep"]
    jerks_only = result_for(["age_16_to_59", "kind_jerk", "duration_1_to_2_weeks"])
    assert "hypnic-jerks" not in [c["slug"] for c in jerks_only["causes"]]


# --- each sample vignette gets one of its listed causes in the top 3 ----------------------


SAMPLES = yaml.safe_load((ROOT / "triage/cases/samples.yaml").read_text())


@pytest.mark.parametrize("case", SAMPLES, ids=[v["id"] for v in SAMPLES])
def test_vignette_has_a_listed_cause_in_the_top_3(case: dict[str, Any]) -> None:
    top3 = [cause.slug for cause in assess(case["findings"]).causes][:3]
    assert set(top3) & set(case["causes"]), (
        f"{case['id']}: top 3 {top3}, expected one of {case['causes']}"
    )


def test_leg_cramps_in_pregnancy_is_suggested_only_in_pregnancy() -> None:
    not_pregnant = [c.slug for c in assess(["age_60_plus", "kind_cramp", "location_calf"]).causes]
    pregnant = [c.slug for c in assess(["pregnant", "kind_cramp", "location_calf"]).causes]

    assert "leg-cramps-in-pregnancy" not in not_pregnant
    assert "leg-cramps-in-pregnancy" in pregnant[:3]
