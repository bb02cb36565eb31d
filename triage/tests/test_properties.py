"""Property tests over the real rules and levels loaded from the fixtures.

Brief rule 1: adding a finding never lowers the urgency. The brief itself has one
exception: "low_sugar_spells without diabetes" is urgent and "with diabetes" is soon
(unexplained low sugar needs checking today; in diabetes it means a treatment review
[S31]). So adding `diabetes` may lower urgent to soon. We implement the brief exactly,
assert monotonicity for every finding outside some rule's none_of, pin that exception set
to {"diabetes"} so nobody adds another silently, and check the exception never takes a
result below soon.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import engine
from triage.tests.helpers import FINDINGS, knowledge_from_files

CODES = sorted(FINDINGS)
finding_sets = st.sets(st.sampled_from(CODES), max_size=12)
SETTINGS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def none_of_codes(knowledge: engine.Knowledge) -> set[str]:
    return {code for rule in knowledge.rules for code in rule.none_of}


def test_the_rules_in_the_database_are_the_briefs(db_knowledge: engine.Knowledge) -> None:
    from_files = knowledge_from_files()
    assert {r.slug: r.level for r in db_knowledge.rules} == {
        r.slug: r.level for r in from_files.rules
    }
    for rule in from_files.rules:
        loaded = next(r for r in db_knowledge.rules if r.slug == rule.slug)
        assert (loaded.all_of, loaded.any_of, loaded.none_of) == (
            rule.all_of,
            rule.any_of,
            rule.none_of,
        )
    assert {c: f.level for c, f in db_knowledge.findings.items() if c in FINDINGS} == {
        c: spec["level"] for c, spec in FINDINGS.items()
    }


def test_the_only_finding_that_may_lower_urgency_is_diabetes(
    db_knowledge: engine.Knowledge,
) -> None:
    assert none_of_codes(db_knowledge) == {"diabetes"}


@SETTINGS
@given(codes=finding_sets, extra=st.sampled_from(CODES))
def test_adding_a_finding_never_lowers_urgency(
    db_knowledge: engine.Knowledge, codes: set[str], extra: str
) -> None:
    before = engine.rank(engine.assess(codes, db_knowledge).urgency)
    after = engine.rank(engine.assess(codes | {extra}, db_knowledge).urgency)
    if extra in none_of_codes(db_knowledge):
        assert after >= min(before, engine.rank(engine.SOON))
    else:
        assert after >= before


@SETTINGS
@given(codes=finding_sets, sign=st.sampled_from(sorted(FINDINGS)))
def test_any_emergency_finding_means_emergency(
    db_knowledge: engine.Knowledge, codes: set[str], sign: str
) -> None:
    if FINDINGS[sign]["level"] != "emergency":
        return
    assert engine.assess(codes | {sign}, db_knowledge).urgency == engine.EMERGENCY


@SETTINGS
@given(codes=finding_sets, junk=st.text(min_size=1, max_size=20))
def test_unknown_codes_never_change_the_result(
    db_knowledge: engine.Knowledge, codes: set[str], junk: str
) -> None:
    if junk.strip() in FINDINGS or not junk.strip():
        return
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


@pytest.mark.parametrize("child_extra", [(), ("kind_flicker", "caffeine_high")])
def test_a_child_is_never_told_self_care(
    db_knowledge: engine.Knowledge, child_extra: tuple[str, ...]
) -> None:
    result = engine.assess(["age_under_16", *child_extra], db_knowledge)
    assert engine.rank(result.urgency) >= engine.rank(engine.SOON)
