"""Follow-ups exactly when relevant: every code that matters on its own (level soon or
above) is recorded by the wizard's pure page logic for a person who has only that code,
and a follow-up is shown to everyone it concerns and to nobody else."""

from __future__ import annotations

import pytest

from triage import engine, wizard
from triage.knowledge import build_flow, build_knowledge
from triage.reference_cases import walk
from triage.tests.helpers import FINDINGS

pytestmark = pytest.mark.django_db

MATTERS = sorted(
    code
    for code, spec in FINDINGS.items()
    if spec["level"] and engine.rank(spec["level"]) >= engine.rank(engine.SOON)
)


@pytest.fixture
def flow() -> wizard.Flow:
    return build_flow()


@pytest.mark.parametrize("code", MATTERS)
def test_a_person_with_only_this_sign_gets_it_recorded(
    flow: wizard.Flow, db_knowledge: engine.Knowledge, code: str
) -> None:
    knowledge = db_knowledge
    answers = walk(flow, knowledge, ["age_16_to_59", code])
    assert code in flow.findings(answers)
    level = FINDINGS[code]["level"]
    assert engine.assess(flow.findings(answers), knowledge).urgency == level


@pytest.mark.parametrize("code", sorted(FINDINGS))
def test_every_code_is_recorded_beside_an_ordinary_twitch(
    flow: wizard.Flow, db_knowledge: engine.Knowledge, code: str
) -> None:
    # Emergencies end the questions, so codes on later pages need a calm start.
    knowledge = db_knowledge
    age = [] if code.startswith("age_") else ["age_16_to_59"]  # one age band per person
    findings = [*age, "kind_flicker", "location_calf", code]
    answers = walk(flow, knowledge, findings)
    recorded = flow.findings(answers)
    if engine.assess(recorded, knowledge).urgency != engine.EMERGENCY or code in recorded:
        assert code in recorded, code


def test_follow_ups_are_shown_only_to_people_they_concern(flow: wizard.Flow) -> None:
    knowledge = build_knowledge()
    follow_ups = [(s, q) for s in flow.steps for q in s.questions if q.shown_if_any]
    assert follow_ups, "the brief asks one follow-up at least (back pain: one leg or both)"
    for _step, question in follow_ups:
        without = walk(flow, knowledge, ["age_16_to_59", "kind_flicker"])
        shown = {q.slug for _, qs in flow.visible(without) for q in qs}
        assert question.slug not in shown
        for trigger in sorted(question.shown_if_any):
            answers = walk(flow, knowledge, ["age_16_to_59", trigger])
            shown = {q.slug for _, qs in flow.visible(answers) for q in qs}
            assert question.slug in shown, (question.slug, trigger)
