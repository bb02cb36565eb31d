"""The checker's questions (fixtures) and page flow (triage/wizard.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from triage import wizard
from triage.knowledge import build_flow
from triage.tests.helpers import FINDINGS, FINDINGS_SPEC

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow() -> wizard.Flow:
    return build_flow()


def test_every_finding_code_is_exactly_one_option(flow: wizard.Flow) -> None:
    counts = Counter(code for s in flow.steps for q in s.questions for code in q.codes)
    assert set(counts) == set(FINDINGS)
    assert {code for code, n in counts.items() if n > 1} == set()


def test_the_emergency_signs_come_first_all_on_one_question(flow: wizard.Flow) -> None:
    first = flow.steps[0]
    assert first.slug == "emergency"
    (question,) = first.questions
    assert question.codes == set(FINDINGS_SPEC["emergency_signs"])
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


def test_the_cramp_follow_up_shows_only_when_relevant(flow: wizard.Flow) -> None:
    base = {"emergency": [], "about-you": ["age_16_to_59"], "how-long": [], "other": []}
    plain = {**base, "feel": ["kind_flicker"]}
    cramp = {**base, "feel": ["kind_cramp"]}
    toxin = {**plain, "other": ["toxin_exposure"]}

    def slugs(answers: dict[str, list[str]]) -> list[str]:
        return [step.slug for step, _ in flow.visible(answers)]

    assert "cramps" not in slugs(plain)
    assert "cramps" in slugs(cramp)
    assert "cramps" in slugs(toxin)
    # An answer on a page that is hidden again no longer counts.
    assert "cramp_over_10_minutes" not in flow.findings(
        {**plain, "cramps": ["cramp_over_10_minutes"]}
    )
    assert "cramp_over_10_minutes" in flow.findings({**cramp, "cramps": ["cramp_over_10_minutes"]})


def test_codes_posted_on_the_wrong_page_do_not_count(flow: wizard.Flow) -> None:
    assert flow.findings({"emergency": ["kind_flicker"], "feel": ["seizure"]}) == []


def test_reachability_and_order(flow: wizard.Flow) -> None:
    assert flow.is_reachable("emergency", {})
    assert not flow.is_reachable("about-you", {})
    answers = {"emergency": [], "about-you": ["age_16_to_59"]}
    assert flow.is_reachable("feel", answers)
    assert not flow.is_reachable("how-long", answers)
    assert flow.first_unanswered(answers).slug == "feel"  # type: ignore[union-attr]
    assert flow.next_after("emergency", answers).slug == "about-you"  # type: ignore[union-attr]
    assert flow.previous_before("about-you", answers).slug == "emergency"  # type: ignore[union-attr]
    assert flow.previous_before("emergency", answers) is None
