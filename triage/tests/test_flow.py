"""The checker's questions (fixtures) and page flow (triage/wizard.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from triage import wizard
from triage.knowledge import build_flow
from triage.tests.helpers import FINDINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow() -> wizard.Flow:
    return build_flow()


def test_every_finding_code_is_an_option(flow: wizard.Flow) -> None:
    counts = Counter(code for s in flow.steps for q in s.questions for code in q.codes)
    assert set(counts) == set(FINDINGS)
    # Only sciatica in both legs is asked twice: as an emergency sign, and as the brief's
    # follow-up after back pain down the leg.
    assert {code for code, n in counts.items() if n > 1} == {"back_pain_to_both_legs"}


def test_the_emergency_signs_come_first_all_on_one_question(flow: wizard.Flow) -> None:
    first = flow.steps[0]
    assert first.slug == "emergency"
    (question,) = first.questions
    emergency_level = {code for code, spec in FINDINGS.items() if spec["level"] == "emergency"}
    assert question.codes == emergency_level
    assert not question.shown_if_any
    assert question.kind == "checkbox" and question.none_label


def test_radio_questions_are_exhaustive_or_offer_none(flow: wizard.Flow) -> None:
    exhaustive = {"age"}  # everyone is in one age band
    for step in flow.steps:
        for q in step.questions:
            if q.kind == "radio" and q.slug not in exhaustive:
                assert q.none_label, q.slug
            if q.kind == "checkbox":
                assert q.none_label, f"{q.slug}: a blank page must mean 'none', not skipped"


def test_follow_ups_only_hang_on_earlier_pages(flow: wizard.Flow) -> None:
    seen: set[str] = set()
    for step in flow.steps:
        for q in step.questions:
            assert q.shown_if_any <= seen, q.slug
        seen |= {code for q in step.questions for code in q.codes}


def test_the_back_pain_follow_up_shows_exactly_when_relevant(flow: wizard.Flow) -> None:
    base = {"emergency": [], "about-you": ["age_16_to_59"], "feel": [], "how-long": []}
    plain = {**base, "other": ["numbness_or_tingling"]}
    back = {**base, "other": ["back_pain_to_leg"]}

    def slugs(answers: dict[str, list[str]]) -> list[str]:
        return [step.slug for step, _ in flow.visible(answers)]

    assert "follow-up" not in slugs(plain)
    assert "follow-up" in slugs(back)
    # An answer on a page that is hidden again no longer counts.
    assert "back_pain_to_both_legs" not in flow.findings(
        {**plain, "follow-up": ["back_pain_to_both_legs"]}
    )
    assert "back_pain_to_both_legs" in flow.findings(
        {**back, "follow-up": ["back_pain_to_both_legs"]}
    )


def test_long_cramps_are_asked_of_everyone_not_after_no_cramps(flow: wizard.Flow) -> None:
    (question,) = [q for s in flow.steps for q in s.questions if "cramp_over_10_minutes" in q.codes]
    assert not question.shown_if_any
    assert "kind_cramp" in question.codes  # beside "a cramp", where a person with cramps looks


def test_labels_carry_the_whole_meaning(flow: wizard.Flow) -> None:
    """Causes 6: the words a person ticks say everything the code means."""
    must_say = {
        "stroke_signs": ["face", "arm", "leg", "speech"],
        "irregular_heartbeat": ["irregular", "fluttering", "keeps coming back", "long time"],
        "heart_pounding_brief": ["pounds", "races", "short while"],
        "no_pee_or_dizzy_standing": ["8 hours", "dizzy", "stand"],
        "no_pee_8_hours": ["8 hours"],
        "dizzy_on_standing": ["dizzy", "stand"],
        "back_pain_to_both_legs": ["both legs"],
        "stiff_sore_after_exercise": ["sore", "stiff", "exercise"],
        "weakness_or_stiffness": ["weak", "stiff", "fall"],
        "takes_antipsychotic_or_lithium": ["antipsychotic", "lithium"],
        "hormone_pill_or_hrt": ["pill", "HRT"],
        "previous_clot": ["blood clot"],
        "cancer_or_cancer_treatment": ["cancer", "treatment"],
        "stopped_drinking_recently": ["stopped", "cut down", "drinking"],
        "cramp_over_10_minutes": ["10 minutes"],
    }
    for code, words in must_say.items():
        label = flow.label(code).lower()
        assert all(w.lower() in label for w in words), (code, label)


def test_codes_posted_on_the_wrong_page_do_not_count(flow: wizard.Flow) -> None:
    assert flow.findings({"emergency": ["kind_flicker"], "feel": ["seizure"]}) == []


def test_reachability_and_order(flow: wizard.Flow) -> None:
    assert flow.is_reachable("emergency", {})
    assert not flow.is_reachable("about-you", {})
    answers = {"emergency": [], "about-you": ["age_16_to_59"]}
    assert flow.is_reachable("feel", answers)
    assert not flow.is_reachable("how-long", answers)
    first, following = flow.first_unanswered(answers), flow.next_after("emergency", answers)
    previous = flow.previous_before("about-you", answers)
    assert first is not None and first.slug == "feel"
    assert following is not None and following.slug == "about-you"
    assert previous is not None and previous.slug == "emergency"
    assert flow.previous_before("emergency", answers) is None
