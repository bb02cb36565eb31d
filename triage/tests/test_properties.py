"""Property tests over the real rules and levels loaded from the fixtures.

Brief rule 1, with no exception since the December 2026 amendments: adding a finding never
lowers the urgency. Findings are drawn from the whole vocabulary, new codes included.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import engine
from triage.tests.helpers import FINDINGS

CODES = sorted(FINDINGS)
EMERGENCY_SIGNS = sorted(c for c, spec in FINDINGS.items() if spec["level"] == "emergency")
finding_sets = st.sets(st.sampled_from(CODES), max_size=12)
SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_the_loaded_levels_are_the_briefs(db_knowledge: engine.Knowledge) -> None:
    assert {c: f.level for c, f in db_knowledge.findings.items() if c in FINDINGS} == {
        c: spec["level"] for c, spec in FINDINGS.items()
    }


@SETTINGS
@given(codes=finding_sets, extra=st.sampled_from(CODES))
def test_adding_a_finding_never_lowers_urgency(
    db_knowledge: engine.Knowledge, codes: set[str], extra: str
) -> None:
    before = engine.rank(engine.assess(codes, db_knowledge).urgency)
    after = engine.rank(engine.assess(codes | {extra}, db_knowledge).urgency)
    assert after >= before


@SETTINGS
@given(codes=finding_sets, sign=st.sampled_from(EMERGENCY_SIGNS))
def test_any_emergency_finding_means_emergency(
    db_knowledge: engine.Knowledge, codes: set[str], sign: str
) -> None:
    assert engine.assess(codes | {sign}, db_knowledge).urgency == engine.EMERGENCY


@SETTINGS
@given(
    codes=finding_sets,
    junk=st.text(min_size=1, max_size=20).filter(lambda t: t.strip() and t.strip() not in FINDINGS),
)
def test_unknown_codes_never_change_the_result(
    db_knowledge: engine.Knowledge, codes: set[str], junk: str
) -> None:
    plain = engine.assess(codes, db_knowledge)
    noisy = engine.assess([*codes, junk], db_knowledge)
    assert noisy.urgency == plain.urgency
    assert noisy.unknown_findings == (junk.strip(),)


@SETTINGS
@given(codes=finding_sets)
def test_every_result_has_a_reason_at_its_level(
    db_knowledge: engine.Knowledge, codes: set[str]
) -> None:
    result = engine.assess(codes, db_knowledge)
    assert result.reasons
    assert result.reasons[0].level == result.urgency


@SETTINGS
@given(
    codes=finding_sets,
    junk=st.lists(st.sampled_from(["", " ", "no_such_code", " stroke_signs "]), max_size=3),
)
def test_the_urgency_alone_is_the_assessments(
    db_knowledge: engine.Knowledge, codes: set[str], junk: list[str]
) -> None:
    """The wizard ends the questions on engine.urgency(): it must never differ from the
    level the result page then shows (blank, unknown and padded codes included)."""
    given = [*codes, *junk]
    assert engine.urgency(given, db_knowledge) == engine.assess(given, db_knowledge).urgency


@pytest.mark.parametrize("child_extra", [(), ("kind_flicker", "caffeine_high")])
def test_a_child_is_never_told_self_care(
    db_knowledge: engine.Knowledge, child_extra: tuple[str, ...]
) -> None:
    result = engine.assess(["age_under_16", *child_extra], db_knowledge)
    assert engine.rank(result.urgency) >= engine.rank(engine.SOON)


@SETTINGS
@given(codes=finding_sets)
def test_only_the_profiles_weighing_an_answer_are_ranked(
    db_knowledge: engine.Knowledge, codes: set[str]
) -> None:
    """assess() ranks only the profiles that weigh a given finding (an index, for speed):
    they must be exactly those, in the knowledge's order, so no cause is ever missed."""
    every = [p for p in db_knowledge.conditions if any(code in codes for code in p.weights)]
    assert db_knowledge.profiles_weighing(codes) == every
