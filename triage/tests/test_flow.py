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


def test_the_emergency_signs_come_first_and_are_asked_of_everyone(flow: wizard.Flow) -> None:
    first = flow.steps[:2]
    assert [s.slug for s in first] == ["emergency", "emergency-more"]
    asked = frozenset().union(*(q.codes for s in first for q in s.questions))
    emergency_level = {code for code, spec in FINDINGS.items() if spec["level"] == "emergency"}
    assert asked == emergency_level
    for q in (q for s in first for q in s.questions):
        assert not q.shown_if_any and not q.behind, q.slug
        assert q.kind == "checkbox" and q.none_label
    # A person who says No to every gateway still sees both pages.
    shown = [s.slug for s, _ in flow.visible({})]
    assert shown[:2] == ["emergency", "emergency-more"]


def test_no_page_offers_more_than_eight_answers(flow: wizard.Flow) -> None:
    for step in flow.steps:
        assert sum(q.answers for q in step.questions) <= 8, step.slug


def test_a_gateway_is_alone_on_its_page_and_opens_only_later_pages(flow: wizard.Flow) -> None:
    gateways = {
        q.slug: n for n, s in enumerate(flow.steps) for q in s.questions if q.kind == "gateway"
    }
    assert len(gateways) >= 3
    for n, step in enumerate(flow.steps):
        if any(q.slug in gateways for q in step.questions):
            assert len(step.questions) == 1 and not step.questions[0].options, step.slug
        for q in step.questions:
            if q.behind:
                assert gateways[q.behind] < n, q.slug


def test_no_hides_what_is_behind_a_gateway_and_yes_shows_it(flow: wizard.Flow) -> None:
    said_no: dict[str, list[str]] = {
        slug: [] for slug in ["emergency", "emergency-more", "about-you", "feel", "where"]
    }
    said_no["other-symptoms"] = []

    def slugs(answers: dict[str, list[str]]) -> list[str]:
        return [step.slug for step, _ in flow.visible(answers)]

    assert not {"legs-gateway", "legs", "body-gateway", "body"} & set(slugs(said_no))
    opened = {**said_no, "other-symptoms": ["yes"]}
    assert {"legs-gateway", "body-gateway"} <= set(slugs(opened))
    assert "legs" not in slugs(opened)  # behind its own gateway, not yet answered
    assert "legs" in slugs({**opened, "legs-gateway": ["yes"]})
    # An answer behind a gateway changed to No no longer counts.
    legs = {**opened, "legs-gateway": ["yes"], "legs": ["foot_drop"]}
    assert "foot_drop" in flow.findings(legs)
    assert "foot_drop" not in flow.findings({**legs, "other-symptoms": []})
    # "yes" is never a finding.
    assert "yes" not in flow.findings(legs)


def test_radio_questions_are_exhaustive_or_offer_none(flow: wizard.Flow) -> None:
    exhaustive = {"age"}  # everyone is in one age band
    for step in flow.steps:
        for q in step.questions:
            assert q.kind in {"radio", "checkbox", "gateway"}, q.slug
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
    base = {
        **dict.fromkeys(["emergency", "emergency-more", "feel", "where", "legs"], []),
        "about-you": ["age_16_to_59"],
        "other-symptoms": ["yes"],
        "legs-gateway": ["yes"],
    }
    plain = {**base, "legs-more": ["disturbs_sleep"]}
    back = {**base, "legs-more": ["back_pain_to_leg"]}

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
    answers = {"emergency": [], "emergency-more": [], "about-you": ["age_16_to_59"]}
    assert flow.is_reachable("feel", answers)
    assert not flow.is_reachable("where", answers)
    first, following = flow.first_unanswered(answers), flow.next_after("emergency", answers)
    previous = flow.previous_before("about-you", answers)
    assert first is not None and first.slug == "feel"
    assert following is not None and following.slug == "emergency-more"
    assert previous is not None and previous.slug == "emergency-more"
    assert flow.previous_before("emergency", answers) is None
