"""The engine against the clinical brief, without a database: findings.yaml levels and the
rules of triage/fixtures/rules.yaml (built by hand from the files), one scenario per rule
and combination of docs/clinical-brief.md."""

from __future__ import annotations

from typing import Any

import pytest

from content.models import Urgency
from triage import engine
from triage.tests.helpers import FINDINGS, VIGNETTES, knowledge_from_files

KNOWLEDGE = knowledge_from_files()
EMERGENCY_FINDINGS = sorted(c for c, spec in FINDINGS.items() if spec["level"] == "emergency")


def urgency(*codes: str) -> str:
    return engine.assess(codes, KNOWLEDGE).urgency


# (findings, expected urgency, why) - every combination of the brief, its parts alone, and
# the neighbours that must NOT trigger it.
SCENARIOS = [
    # Serotonin syndrome [S38], as amended in December 2026
    ("new_or_increased_antidepressant agitation_sweating_shivering fever", "emergency", "severe"),
    ("new_or_increased_antidepressant irregular_heartbeat kind_jerk", "emergency", "heart + jerks"),
    ("new_or_increased_antidepressant confusion_or_drowsiness", "emergency", "confusion alone"),
    (
        "new_or_increased_antidepressant fever tremor_slowness_stiffness",
        "emergency",
        "no agitation",
    ),
    ("new_or_increased_antidepressant agitation_sweating_shivering", "urgent", "serotonin"),
    ("new_or_increased_antidepressant kind_jerk", "urgent", "jerks"),
    ("new_or_increased_antidepressant weakness_or_stiffness", "urgent", "stiffness"),
    ("new_or_increased_antidepressant tremor_slowness_stiffness", "urgent", "tremor"),
    ("new_or_increased_antidepressant fever", "urgent", "fever"),
    ("new_or_increased_antidepressant irregular_heartbeat", "soon", "heartbeat alone: no rule"),
    ("agitation_sweating_shivering fever", "self-care", "no antidepressant: no rule"),
    ("new_or_increased_antidepressant", "self-care", "alone"),
    # Antipsychotics and lithium [S49, S52]
    ("takes_antipsychotic_or_lithium fever weakness_or_stiffness", "emergency", "NMS"),
    ("takes_antipsychotic_or_lithium fever tremor_slowness_stiffness", "emergency", "NMS, shaking"),
    ("takes_antipsychotic_or_lithium fever", "self-care", "fever alone: no rule"),
    ("takes_antipsychotic_or_lithium vomiting_or_diarrhoea kind_jerk", "urgent", "two signs"),
    (
        "takes_antipsychotic_or_lithium vision_or_balance_problems tremor_slowness_stiffness",
        "urgent",
        "two signs",
    ),  # fmt: skip
    ("takes_antipsychotic_or_lithium vomiting_or_diarrhoea", "self-care", "one sign only"),
    ("takes_antipsychotic_or_lithium kind_jerk", "self-care", "one sign only"),
    ("vomiting_or_diarrhoea kind_jerk", "self-care", "no medicine: no rule"),
    # Statin muscle damage [S42]: unchanged
    ("takes_statin muscle_pain", "urgent", "statin + pain"),
    ("takes_statin weakness_or_stiffness", "urgent", "statin + weakness"),
    ("takes_statin kind_cramp", "urgent", "statin + cramp"),
    ("takes_statin kind_flicker", "self-care", "statin + flicker is not a rule"),
    ("takes_statin", "self-care", "alone"),
    ("muscle_pain", "self-care", "alone"),
    # Cramps after fluid loss [S8] and on a water tablet [S7, S28]
    ("vomiting_or_diarrhoea kind_cramp", "urgent", "vomiting + cramp"),
    ("takes_diuretic kind_cramp", "soon", "cramps on a water tablet: a blood test"),
    ("takes_diuretic kind_cramp weakness_or_stiffness", "urgent", "low salts"),
    ("takes_diuretic kind_cramp irregular_heartbeat", "urgent", "low salts"),
    ("takes_diuretic kind_cramp dizzy_on_standing", "urgent", "low salts"),
    ("takes_diuretic kind_cramp no_pee_8_hours", "urgent", "no pee is urgent anyway"),
    ("takes_diuretic kind_cramp dehydrated", "urgent", "low salts"),
    ("takes_diuretic kind_cramp duration_over_2_weeks", "soon", "months of cramps: routine"),
    ("takes_diuretic vomiting_or_diarrhoea", "self-care", "no cramp"),
    ("takes_diuretic kind_flicker", "self-care", "twitch, not cramp"),
    # Low blood sugar [S31]: soon with or without diabetes (rule 1 with no exception)
    ("low_sugar_spells", "soon", "without diabetes"),
    ("low_sugar_spells diabetes", "soon", "with diabetes: review"),
    ("diabetes", "self-care", "alone"),
    ("low_sugar_spells diabetes calf_swollen_one_side", "urgent", "other urgent sign still wins"),
    # Diabetic foot [S20]
    ("diabetes foot_wound_not_healing", "urgent", "diabetic foot"),
    ("foot_wound_not_healing", "soon", "its own level"),
    # Toxins and cramps [S6]
    ("toxin_exposure kind_cramp", "urgent", "toxin + cramp"),
    ("toxin_exposure cramp_over_10_minutes", "urgent", "toxin + long cramps"),
    ("toxin_exposure", "self-care", "alone"),
    ("toxin_exposure kind_flicker", "self-care", "toxin + twitch is not a rule"),
    # Twitch over 2 weeks [S1]
    ("duration_over_2_weeks kind_flicker", "soon", "twitch over 2 weeks"),
    ("duration_over_2_weeks kind_jerk", "soon", "jerks over 2 weeks"),
    ("duration_over_2_weeks kind_cramp", "self-care", "cramps for months: not a GP reason [S6]"),
    ("duration_1_to_2_weeks kind_flicker", "self-care", "under 2 weeks"),
    ("duration_over_2_weeks", "self-care", "no twitch named"),
    ("cramp_over_10_minutes", "urgent", "long cramps: an urgent appointment [S6]"),
    ("kind_cramp disturbs_sleep", "soon", "cramps that stop sleep [S6]"),
    # Sciatica [S19]
    ("back_pain_to_leg duration_over_2_weeks", "soon", "back pain over 2 weeks"),
    ("back_pain_to_leg getting_worse", "soon", "back pain getting worse"),
    ("back_pain_to_leg duration_under_1_week", "self-care", "new back pain"),
    ("back_pain_to_both_legs", "emergency", "sciatica in both legs"),
    # Clots in the lung and clots without swelling [S16, S18, S53]
    ("calf_swollen_one_side irregular_heartbeat", "emergency", "clot in the lung"),
    ("calf_swollen_one_side heart_pounding_brief", "emergency", "clot in the lung"),
    ("calf_swollen_one_side fainted_or_collapsed", "emergency", "clot in the lung"),
    ("calf_swollen_one_side dizzy_on_standing", "emergency", "clot in the lung"),
    ("calf_swollen_one_side", "urgent", "DVT"),
    ("heart_pounding_brief", "self-care", "pounding after coffee: no level"),
    ("kind_cramp location_calf one_leg_only recent_surgery_or_immobile", "urgent", "after surgery"),
    ("muscle_pain location_thigh one_leg_only previous_clot", "urgent", "a clot before"),
    ("kind_cramp location_calf one_leg_only hormone_pill_or_hrt", "urgent", "the pill or HRT"),
    ("kind_cramp location_calf one_leg_only pregnant", "urgent", "pregnancy"),
    ("muscle_pain location_calf one_leg_only cancer_or_cancer_treatment", "urgent", "cancer"),
    ("kind_cramp location_calf both_legs recent_surgery_or_immobile", "self-care", "both legs"),
    ("kind_cramp location_foot one_leg_only previous_clot", "self-care", "foot, not calf"),
    ("kind_cramp location_calf one_leg_only", "self-care", "no risk factor"),
    ("kind_flicker location_calf one_leg_only previous_clot", "self-care", "a flicker, no pain"),
    # Palpitations [S28, S32, S47, S48]
    ("irregular_heartbeat", "soon", "palpitations alone: a GP"),
    ("irregular_heartbeat fainted_or_collapsed", "emergency", "with fainting"),
    ("irregular_heartbeat dizzy_on_standing", "emergency", "with dizziness"),
    ("irregular_heartbeat kind_cramp", "urgent", "low potassium"),
    ("irregular_heartbeat weakness_or_stiffness", "urgent", "low potassium"),
    ("irregular_heartbeat takes_diuretic", "urgent", "low potassium"),
    ("irregular_heartbeat vomiting_or_diarrhoea", "urgent", "low potassium"),
    ("irregular_heartbeat weight_loss_heat_intolerance", "urgent", "thyroid"),
    ("heart_pounding_brief caffeine_high", "self-care", "coffee"),
    ("fainted_or_collapsed", "soon", "fainting alone"),
    ("dizzy_on_standing", "soon", "dizzy alone"),
    # Muscle breakdown and dehydration [S30, S41]
    ("no_pee_8_hours muscle_pain hard_exercise_recent", "emergency", "after exercise"),
    ("no_pee_8_hours muscle_pain takes_statin", "emergency", "on a statin"),
    ("no_pee_8_hours muscle_pain weakness_or_stiffness", "emergency", "with weakness"),
    ("no_pee_8_hours muscle_pain", "urgent", "no pee is urgent on its own"),
    ("muscle_pain hard_exercise_recent", "self-care", "sore after exercise"),
    ("stiff_sore_after_exercise hard_exercise_recent", "self-care", "ordinary soreness"),
    ("dizzy_on_standing dehydrated", "urgent", "dehydration"),
    ("dizzy_on_standing vomiting_or_diarrhoea", "urgent", "fluid loss"),
    ("dizzy_on_standing takes_diuretic", "urgent", "water tablet"),
    ("no_pee_or_dizzy_standing", "urgent", "the older code keeps its level"),
    # Fast-worsening weakness [S3, S19, S43]
    ("weakness_or_stiffness getting_worse duration_under_1_week", "urgent", "early GBS"),
    ("weakness_or_stiffness getting_worse duration_over_2_weeks", "soon", "slow"),
    (
        "weakness_or_stiffness both_legs getting_worse duration_under_1_week",
        "emergency",
        "both legs",
    ),
    (
        "numbness_or_tingling both_legs getting_worse duration_1_to_2_weeks",
        "emergency",
        "numb legs",
    ),
    ("numbness_or_tingling both_legs getting_worse duration_over_2_weeks", "soon", "slow"),
    ("numbness_or_tingling one_leg_only getting_worse duration_under_1_week", "soon", "one leg"),
    # Alcohol withdrawal [S37]
    ("stopped_drinking_recently agitation_sweating_shivering", "urgent", "withdrawal"),
    ("stopped_drinking_recently kind_jerk", "urgent", "withdrawal"),
    ("stopped_drinking_recently tremor_slowness_stiffness", "urgent", "withdrawal"),
    ("stopped_drinking_recently", "self-care", "alone"),
    ("alcohol_heavy agitation_sweating_shivering fever", "urgent", "withdrawal unnamed"),
    ("alcohol_heavy agitation_sweating_shivering kind_jerk", "urgent", "withdrawal unnamed"),
    ("alcohol_heavy agitation_sweating_shivering", "soon", "heavy drinking's own level"),
    # Cancer [S51]
    ("cancer_or_cancer_treatment back_pain_to_leg", "urgent", "spread to the spine"),
    ("cancer_or_cancer_treatment back_pain_to_leg weakness_or_stiffness", "emergency", "MSCC"),
    ("cancer_or_cancer_treatment back_pain_to_leg numbness_or_tingling", "emergency", "MSCC"),
    ("cancer_or_cancer_treatment weakness_or_stiffness getting_worse", "urgent", "painless MSCC"),
    ("cancer_or_cancer_treatment weakness_or_stiffness", "soon", "weakness's own level"),
    ("cancer_or_cancer_treatment", "self-care", "alone"),
    # Pregnancy [S16, S45, S54]
    ("pregnant calf_swollen_one_side", "urgent", "DVT in pregnancy"),
    ("pregnant swelling_both_legs vision_or_balance_problems", "urgent", "pre-eclampsia"),
    ("pregnant swelling_both_legs", "soon", "swelling's own level"),
    ("swelling_both_legs vision_or_balance_problems", "soon", "not pregnant"),
    # Children (brief rule 4)
    ("age_under_16", "soon", "children: GP, pharmacist or NHS 111"),
    ("age_under_16 caffeine_high kind_flicker", "soon", "never self-care for a child"),
    ("age_under_16 calf_swollen_one_side", "urgent", "urgent signs still count"),
    ("age_under_16 seizure", "emergency", "emergencies still screened"),
    # Most urgent wins (brief rule 1)
    ("calf_swollen_one_side chest_pain_or_breathless", "emergency", "emergency beats urgent"),
    ("twitch_multiple_places calf_swollen_one_side", "urgent", "urgent beats soon"),
    ("kind_flicker caffeine_high poor_sleep stress_or_anxiety", "self-care", "lifestyle twitch"),
    ((), "self-care", "nothing reported"),
]


@pytest.mark.parametrize(("codes", "expected", "why"), SCENARIOS)
def test_brief_scenarios(codes: str | tuple[str, ...], expected: str, why: str) -> None:
    found = codes.split() if isinstance(codes, str) else list(codes)
    assert urgency(*found) == expected, why


@pytest.mark.django_db
@pytest.mark.parametrize(("codes", "expected", "why"), SCENARIOS)
def test_brief_scenarios_on_the_rules_as_loaded(
    db_knowledge: engine.Knowledge, codes: str | tuple[str, ...], expected: str, why: str
) -> None:
    """The same table on the database's rules: what the site really answers with."""
    found = codes.split() if isinstance(codes, str) else list(codes)
    assert engine.assess(found, db_knowledge).urgency == expected, why


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_every_finding_alone_gets_its_own_level(code: str) -> None:
    # Only the brief's rules on a single finding add to its own level.
    by_rule = {"age_under_16": "soon", "low_sugar_spells": "soon"}
    expected = by_rule.get(code) or FINDINGS[code]["level"] or "self-care"
    assert urgency(code) == expected


@pytest.mark.parametrize("code", EMERGENCY_FINDINGS)
def test_every_emergency_finding_alone_is_an_emergency(code: str) -> None:
    assert urgency(code) == "emergency"
    assert urgency(code, "age_16_to_59", "kind_flicker", "caffeine_high") == "emergency"


def test_every_result_says_which_answers_led_to_it() -> None:
    emergency = engine.assess(["seizure", "kind_flicker"], KNOWLEDGE)
    assert emergency.reasons[0].findings == ("seizure",)
    combo = engine.assess(["vomiting_or_diarrhoea", "kind_cramp"], KNOWLEDGE)
    assert combo.reasons[0].level == "urgent"
    assert set(combo.reasons[0].findings) == {"vomiting_or_diarrhoea", "kind_cramp"}
    assert combo.reasons[0].source.startswith("S8")
    calm = engine.assess(["kind_flicker"], KNOWLEDGE)
    assert calm.urgency == "self-care" and calm.reasons and calm.reasons[0].text


def test_reasons_are_most_urgent_first() -> None:
    result = engine.assess(["getting_worse", "calf_swollen_one_side", "seizure"], KNOWLEDGE)
    levels = [engine.rank(r.level) for r in result.reasons]
    assert levels == sorted(levels, reverse=True)


def test_unknown_codes_are_reported_and_change_nothing() -> None:
    result = engine.assess(["kind_flicker", "made_up_code", " ", "kind_flicker"], KNOWLEDGE)
    assert result.unknown_findings == ("made_up_code",)
    assert result.findings == ("kind_flicker",)
    assert result.urgency == "self-care"


PROFILES = (
    engine.ConditionProfile(
        "benign", "Benign twitch", {"kind_flicker": 3, "caffeine_high": 1}, "usually-harmless"
    ),
    engine.ConditionProfile("clot", "Clot", {"calf_swollen_one_side": 3}, "see-a-doctor"),
    engine.ConditionProfile("nerve", "Nerve", {"kind_flicker": 3, "caffeine_high": 1}, "emergency"),
    engine.ConditionProfile("serotonin", "Serotonin", {"fever": 1}, "emergency"),
)


def test_causes_rank_by_score_then_commoner_first() -> None:
    knowledge = knowledge_from_files(PROFILES)
    result = engine.assess(["kind_flicker", "caffeine_high"], knowledge)
    assert [c.slug for c in result.causes] == ["benign", "nerve"]
    assert result.causes[0].matched == ("caffeine_high", "kind_flicker")


def test_with_an_emergency_serious_causes_come_first_on_a_tie() -> None:
    knowledge = knowledge_from_files(PROFILES)
    result = engine.assess(["kind_flicker", "caffeine_high", "seizure"], knowledge)
    assert [c.slug for c in result.causes] == ["nerve", "benign"]


def test_a_matched_rule_lifts_the_condition_it_names() -> None:
    serotonin = engine.ConditionProfile(
        "serotonin-syndrome", "S", {"agitation_sweating_shivering": 2}, "emergency"
    )
    profiles = (*PROFILES, serotonin)
    knowledge = knowledge_from_files(profiles)
    codes = ["new_or_increased_antidepressant", "agitation_sweating_shivering", "kind_flicker"]
    result = engine.assess(codes, knowledge)
    assert result.causes[0].slug == "serotonin-syndrome"


def test_a_condition_only_with_a_finding_is_suggested_only_when_it_is_given() -> None:
    pregnancy_cramps = engine.ConditionProfile(
        "pregnancy-cramps", "Cramps in pregnancy", {"kind_cramp": 2, "pregnant": 3},
        "usually-harmless", only_with=frozenset({"pregnant"}),
    )  # fmt: skip
    knowledge = knowledge_from_files((*PROFILES, pregnancy_cramps))

    without = engine.assess(["kind_cramp", "age_60_plus"], knowledge)
    with_it = engine.assess(["kind_cramp", "pregnant"], knowledge)

    assert "pregnancy-cramps" not in [c.slug for c in without.causes]
    assert with_it.causes[0].slug == "pregnancy-cramps"


@pytest.mark.parametrize("case", VIGNETTES, ids=[c["id"] for c in VIGNETTES])
def test_sample_vignettes_get_the_expected_urgency(case: dict[str, Any]) -> None:
    assert urgency(*case["findings"]) == case["expect"]


def test_the_articles_rank_urgency_as_the_engine_does() -> None:
    """content ranks red flags by urgency without importing the engine (it may not): both
    orders must stay the same, or an article could show a sign below its checker level."""
    assert sorted(engine.LEVELS, key=Urgency.rank) == list(engine.LEVELS)
    assert [Urgency.rank(level) for level in engine.LEVELS] == [
        engine.rank(level) for level in engine.LEVELS
    ]
