"""The triage engine: findings in; urgency, reasons and ranked likely causes out.

Pure Python with no Django imports, so it can be reasoned about and tested on its own.
It follows the clinical brief (docs/clinical-brief.md):

1. Each finding may carry a level of its own (findings.yaml "level").
2. Combination rules raise the level when findings occur together.
3. The most urgent level reached wins; with nothing matched the result is self-care.

triage/knowledge.py turns the database models into the plain data used here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

# Least urgent first, so a level's index is its rank.
LEVELS: tuple[str, ...] = ("self-care", "soon", "urgent", "emergency")
SELF_CARE, SOON, URGENT, EMERGENCY = LEVELS


def rank(level: str) -> int:
    """0 for self-care up to 3 for emergency."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Finding:
    """One fact a person can report, e.g. `calf_swollen_one_side`."""

    code: str
    meaning: str
    level: str | None = None
    # A short plain label, e.g. "Has diabetes"; the meaning is used when it is empty.
    name: str = ""
    # A fact about the person (age, a medicine, a risk factor) rather than a symptom: it
    # adds to a cause's score but never lists a cause on its own (amended brief, causes 1).
    context: bool = False
    # What the finding may mean, said in the reason when it sets the level (causes 4),
    # e.g. "A swollen, painful calf on one side can be a blood clot (DVT)."
    concern: str = ""

    @property
    def label(self) -> str:
        return self.name or self.meaning


@dataclass(frozen=True)
class Rule:
    """A combination that raises the level.

    It matches when every finding of `all_of` is present and each group holds at least
    its count of present findings: `any_of` is a group of one. Rules only ever require
    findings (there is no "none of"), so adding a finding can never lower the level.
    """

    slug: str
    level: str
    reason: str
    source: str = ""
    all_of: frozenset[str] = frozenset()
    any_of: frozenset[str] = frozenset()
    # Further groups as (at least this many, of these findings), e.g. (2, {...}).
    groups: tuple[tuple[int, frozenset[str]], ...] = ()
    conditions: tuple[str, ...] = ()

    # Worked out once per rule (rules live as long as the knowledge): matching runs for
    # every rule on every checker page. Not fields, so equality and repr stay the fields'.
    @cached_property
    def all_groups(self) -> tuple[tuple[int, frozenset[str]], ...]:
        return ((1, self.any_of), *self.groups) if self.any_of else self.groups

    @cached_property
    def codes(self) -> frozenset[str]:
        return self.all_of.union(*(codes for _, codes in self.all_groups))

    def matches(self, present: frozenset[str]) -> bool:
        return self.all_of <= present and all(
            len(codes & present) >= least for least, codes in self.all_groups
        )

    def matched_findings(self, present: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(self.codes & present))


@dataclass(frozen=True)
class ConditionProfile:
    """A condition with how typical each finding is of it (3 hallmark, 2 common, 1 sometimes)."""

    slug: str
    name: str
    weights: Mapping[str, int] = field(default_factory=dict)
    # "usually-harmless", "see-a-doctor" or "emergency": breaks ties between causes.
    seriousness: str = "see-a-doctor"
    # If given, the condition is suggested only when one of these findings is present
    # (leg cramps in pregnancy need pregnancy, whatever else matches).
    only_with: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Knowledge:
    findings: Mapping[str, Finding]
    rules: tuple[Rule, ...] = ()
    conditions: tuple[ConditionProfile, ...] = ()

    @cached_property
    def _weighing(self) -> dict[str, tuple[int, ...]]:
        """Each finding code: the places in `conditions` of the profiles that weigh it."""
        places: dict[str, list[int]] = {}
        for place, profile in enumerate(self.conditions):
            for code in profile.weights:
                places.setdefault(code, []).append(place)
        return {code: tuple(found) for code, found in places.items()}

    def rules_matching(self, present: frozenset[str]) -> list[Rule]:
        return [rule for rule in self.rules if rule.matches(present)]

    def profiles_weighing(self, codes: Iterable[str]) -> list[ConditionProfile]:
        """The profiles that weigh any of these codes, in their order in `conditions`:
        only they can be listed as causes (a cause needs a matched symptom)."""
        weighing = self._weighing
        places = sorted({place for code in codes for place in weighing.get(code, ())})
        return [self.conditions[place] for place in places]


@dataclass(frozen=True)
class Reason:
    """Why the result reached a level: the finding codes and a plain sentence."""

    level: str
    text: str
    findings: tuple[str, ...]
    source: str = ""
    # The conditions a combination points at (a clot for calf swelling with a risk).
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cause:
    slug: str
    name: str
    score: int
    matched: tuple[str, ...]
    # True when the finding or rule that set an urgent or emergency level points here.
    explains_level: bool = False


@dataclass(frozen=True)
class Assessment:
    urgency: str
    reasons: tuple[Reason, ...]
    causes: tuple[Cause, ...]
    unknown_findings: tuple[str, ...]
    findings: tuple[str, ...]


# A rule that names a condition adds this much to that condition's score: a combination
# such as antidepressant + agitation points at serotonin syndrome more than either alone.
RULE_BOOST = 4
# Profile weights: 3 hallmark, 2 common, 1 sometimes. Only a hallmark or common symptom
# lists a cause (amended brief, causes 1).
LISTS_A_CAUSE = 2
# Seriousness order used to break ties: with an emergency result, serious causes first;
# otherwise the commoner, harmless causes first.
_COMMON_FIRST = {"usually-harmless": 0, "see-a-doctor": 1, "emergency": 2}
HARMLESS = "usually-harmless"


def assess(codes: Iterable[str], knowledge: Knowledge) -> Assessment:
    """Assess a set of finding codes. Unknown codes are reported, never silently dropped."""
    given = list(dict.fromkeys(code.strip() for code in codes if code and code.strip()))
    unknown = tuple(code for code in given if code not in knowledge.findings)
    present = frozenset(code for code in given if code in knowledge.findings)

    rules = knowledge.rules_matching(present)  # once: the reasons and the causes read them
    reasons = _reasons(present, knowledge, rules)
    urgency = _level(reasons)
    causes = _rank_causes(present, knowledge, urgency, reasons, rules)
    return Assessment(
        urgency=urgency,
        reasons=reasons,
        causes=causes,
        unknown_findings=unknown,
        findings=tuple(sorted(present)),
    )


def urgency(codes: Iterable[str], knowledge: Knowledge) -> str:
    """The level assess() gives these codes, without ranking causes: the wizard asks it
    after every page (an emergency ends the questions), and the safety gate per case."""
    present = frozenset(c for code in codes if code and (c := code.strip()) in knowledge.findings)
    return _level(_reasons(present, knowledge, knowledge.rules_matching(present)))


def _level(reasons: tuple[Reason, ...]) -> str:
    return max((r.level for r in reasons), key=rank, default=SELF_CARE)


# Brief rule 3: every result, self-care included, says which answers led to it.
NO_WARNING_SIGNS = (
    "None of your answers is a warning sign that needs a doctor, on its own or together."
)


def finding_reason(finding: Finding) -> str:
    """ "You told us: ..." and, when known, what it may mean (causes 4)."""
    text = f"You told us: {finding.meaning}."
    return f"{text} {finding.concern}" if finding.concern else text


def _reasons(
    present: frozenset[str], knowledge: Knowledge, rules: list[Rule]
) -> tuple[Reason, ...]:
    """The present findings' own levels and the matching `rules`', most urgent first."""
    reasons = [
        Reason(level=f.level, text=finding_reason(f), findings=(f.code,))
        for code in sorted(present)
        if (f := knowledge.findings[code]).level
    ]
    reasons += [
        Reason(
            level=r.level,
            text=r.reason,
            findings=r.matched_findings(present),
            source=r.source,
            conditions=r.conditions,
        )
        for r in rules
    ]
    # Most urgent first; at the same level the combination that takes in the most of the
    # person's answers first, as it says most about what the answers together may mean.
    reasons.sort(key=lambda r: (-rank(r.level), -len(r.findings), r.text))
    if not reasons:
        reasons.append(Reason(level=SELF_CARE, text=NO_WARNING_SIGNS, findings=()))
    return tuple(reasons)


def _hallmark(profile: ConditionProfile, code: str, knowledge: Knowledge) -> bool:
    """A hallmark or common symptom of this cause; context (age, medicines) never is."""
    return profile.weights.get(code, 0) >= LISTS_A_CAUSE and not knowledge.findings[code].context


def _lists(profile: ConditionProfile, matched: tuple[str, ...], knowledge: Knowledge) -> bool:
    """Causes 1: a hallmark or common symptom was reported; context alone never lists."""
    return any(_hallmark(profile, code, knowledge) for code in matched)


def _rank_causes(
    present: frozenset[str],
    knowledge: Knowledge,
    urgency: str,
    reasons: tuple[Reason, ...],
    rules: list[Rule],
) -> tuple[Cause, ...]:
    boosts: dict[str, int] = {}
    # A matched rule names the causes it points at; each may be listed on the symptoms
    # the rule matched (a clot for a cramping calf with a clot risk), even where its
    # profile weighs them only as "sometimes".
    named: dict[str, frozenset[str]] = {}
    for rule in rules:
        if rule.conditions:
            for slug in rule.conditions:
                boosts[slug] = boosts.get(slug, 0) + RULE_BOOST
                named[slug] = named.get(slug, frozenset()) | frozenset(
                    rule.matched_findings(present)
                )

    # What set the level: at urgent or emergency, a cause that explains it comes first.
    # A combination points at the conditions it names; a single sign at the conditions
    # whose profile weighs it as a hallmark or common sign.
    deciding = [r for r in reasons if r.level == urgency] if rank(urgency) >= rank(URGENT) else []
    deciding_codes = {r.findings[0] for r in deciding if len(r.findings) == 1 and not r.conditions}
    deciding_conditions = {slug for r in deciding for slug in r.conditions}

    causes = []
    for profile in knowledge.profiles_weighing(present):
        if profile.only_with and not profile.only_with & present:
            continue
        matched = tuple(sorted(code for code in profile.weights if code in present))
        by_rule = any(
            not knowledge.findings[code].context
            for code in named.get(profile.slug, frozenset()) & set(matched)
        )
        if not (by_rule or _lists(profile, matched, knowledge)):
            continue
        score = sum(profile.weights[code] for code in matched) + boosts.get(profile.slug, 0)
        explains = profile.seriousness != HARMLESS and (
            profile.slug in deciding_conditions
            or any(_hallmark(profile, code, knowledge) for code in deciding_codes)
        )
        causes.append((profile, Cause(profile.slug, profile.name, score, matched, explains)))

    serious_first = urgency == EMERGENCY

    def order(item: tuple[ConditionProfile, Cause]) -> tuple[int, int, int, str]:
        profile, cause = item
        tie = _COMMON_FIRST.get(profile.seriousness, 1)
        # Causes 3: at urgent or emergency, what explains the level comes first. Only a
        # cause that is not "usually harmless" can explain it (see `explains` above).
        return (
            -int(cause.explains_level),
            -cause.score,
            -tie if serious_first else tie,
            profile.name,
        )

    return tuple(cause for _, cause in sorted(causes, key=order))
