"""The reference cases of triage/cases/*.yaml, and how the checker does on them.

Each case is a short written description coded in the finding vocabulary (findings.yaml),
with the urgency the clinical brief gives and the acceptable likely causes. `walk` answers
the checker's pages for a case the way the contract driver does (docs/checker-contract.md,
triage/tests/helpers.py), but on the wizard's pure page logic instead of the HTML, so the
whole set runs in well under a second; a test checks that both give the same result.

`audit` sums the results up for `manage.py audit_checker`, whose output
(triage/data/audit.json) is what the public page "How we check this checker" shows.

No Django imports: the checker's data comes in as a triage.knowledge.CheckerData.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from triage import engine
from triage.wizard import GATEWAY, RADIO, YES, Flow

CASES_DIR = Path(__file__).resolve().parent / "cases"
# libyaml's parser when PyYAML has it (its wheels do): several times faster than Python's.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The kind of a case whose file gives none (samples.yaml: the examples of the brief).
SAMPLE = "sample"
KINDS: tuple[str, ...] = (SAMPLE, "amended-row", "atypical", "reassuring")
# A case "hits" when one of its acceptable causes is among this many likely causes.
TOP_CAUSES = 3
# Most urgent first, as the page's table reads.
LEVELS_DOWN: tuple[str, ...] = tuple(reversed(engine.LEVELS))

# Why a finding of a case was not recorded by the wizard.
NOT_ASKED = "no question asks for it"
AFTER_STOP = "the questions ended at an emergency first"
ONE_ANSWER = "another answer to the same one-answer question was taken"
HIDDEN = "its follow-up question was not shown"


class CheckerData(Protocol):
    """What this module reads of triage.knowledge.CheckerData (which needs Django)."""

    @property
    def knowledge(self) -> engine.Knowledge: ...
    @property
    def flow(self) -> Flow: ...
    @property
    def conditions(self) -> Mapping[str, object]:
        """The published conditions, by slug."""
        ...


class CaseError(ValueError):
    """A case file that cannot be read as reference cases."""


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the file's name, e.g. "samples.yaml"
    expect: str
    causes: tuple[str, ...]
    findings: tuple[str, ...]
    kind: str = SAMPLE
    source: str = ""
    story: str = ""
    why: str = ""


@dataclass(frozen=True)
class Evaluation:
    case: Case
    urgency: str
    # Published likely causes, most likely first (as the result page lists them).
    causes: tuple[str, ...]
    # The finding codes the wizard recorded, in page order.
    recorded: tuple[str, ...]
    # True when an emergency ended the questions before the last page.
    stopped: bool
    # Case findings the wizard did not record, each with the reason.
    unrecorded: Mapping[str, str]
    # Questions that must be answered but offer nothing that fits the case (no "none").
    unanswerable: tuple[str, ...]
    # The titles of the pages the person answered, in order.
    pages: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        """ "exact", "under" (less urgent than expected) or "over" (more urgent)."""
        got, want = engine.rank(self.urgency), engine.rank(self.case.expect)
        return "exact" if got == want else "under" if got < want else "over"

    @property
    def hit(self) -> bool:
        return bool(set(self.case.causes) & set(self.causes[:TOP_CAUSES]))


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CaseError(f"{where}: {key} must be a list of codes")
    return tuple(value)


def _case(record: Any, file: str, index: int) -> Case:
    where = f"{file} case {index + 1}"
    if not isinstance(record, dict):
        raise CaseError(f"{where}: each case must be a mapping")
    case_id = str(record.get("id") or "")
    if not case_id:
        raise CaseError(f"{where}: no id")
    where = f"{file} {case_id}"
    expect = record.get("expect")
    if expect not in engine.LEVELS:
        raise CaseError(f"{where}: expect must be one of {', '.join(engine.LEVELS)}")
    kind = str(record.get("kind") or SAMPLE)
    if kind not in KINDS:
        raise CaseError(f"{where}: kind must be one of {', '.join(KINDS)}")
    findings = _strings(record.get("findings"), where, "findings")
    if not findings:
        raise CaseError(f"{where}: no findings")
    return Case(
        id=case_id,
        file=file,
        expect=str(expect),
        causes=_strings(record.get("causes") or [], where, "causes"),
        findings=findings,
        kind=kind,
        source=str(record.get("source") or ""),
        story=str(record.get("story") or ""),
        why=str(record.get("why") or ""),
    )


def case_files(directory: Path = CASES_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Every case of every *.yaml file in the folder, file by file in name order."""
    cases: list[Case] = []
    for path in case_files(directory):
        records = yaml.load(path.read_text(), Loader=YAML_LOADER) or []
        if not isinstance(records, list):
            raise CaseError(f"{path.name}: must be a list of cases")
        cases += [_case(record, path.name, i) for i, record in enumerate(records)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise CaseError(f"{case.file} {case.id}: the same id is used twice")
        seen.add(case.id)
    return cases


def _is_emergency(flow: Flow, knowledge: engine.Knowledge, answers: dict[str, list[str]]) -> bool:
    return engine.urgency(flow.findings(answers), knowledge) == engine.EMERGENCY


def walk(flow: Flow, knowledge: engine.Knowledge, findings: Iterable[str]) -> dict[str, list[str]]:
    """The answers {step slug: [codes]} the contract driver gives for these findings.

    Page by page, each visible question gets every option that is a finding (a radio the
    first such), else nothing ("none"); a gateway gets Yes, as the driver presses the
    contract's "continue" button. Like the checker (presenters.next_place), it stops
    after the first page whose answers so far assess as an emergency.
    """
    wanted = frozenset(findings)
    answers: dict[str, list[str]] = {}
    while (step := flow.first_unanswered(answers)) is not None:
        picked: list[str] = []
        for question in flow.visible_questions(step.slug, answers):
            if question.kind == GATEWAY:
                picked.append(YES)
                continue
            codes = [o.code for o in question.options if o.code in wanted]
            picked += codes[:1] if question.kind == RADIO else codes
        answers[step.slug] = picked
        if _is_emergency(flow, knowledge, answers):
            break
    return answers


def _unanswerable(flow: Flow, answers: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Required questions the walk left blank: the real form would not accept the page."""
    blank = []
    for step, questions in flow.visible(answers):
        given = set(answers.get(step.slug, ()))
        if step.slug not in answers:
            continue
        blank += [
            q.slug
            for q in questions
            if q.required and q.kind != GATEWAY and not q.none_label and not given & q.codes
        ]
    return tuple(blank)


def _why_unrecorded(flow: Flow, answers: Mapping[str, Sequence[str]], code: str) -> str:
    if code not in flow.all_codes():
        return NOT_ASKED
    if not flow.is_complete(answers):
        return AFTER_STOP
    for _, questions in flow.visible(answers):
        if any(q.kind == RADIO and code in q.codes for q in questions):
            return ONE_ANSWER
    return HIDDEN


def evaluate(data: CheckerData, case: Case) -> Evaluation:
    """Walk the checker for one case; the urgency and causes a person would be shown."""
    flow = data.flow
    answers = walk(flow, data.knowledge, case.findings)
    recorded = tuple(flow.findings(answers))
    assessment = engine.assess(recorded, data.knowledge)
    causes = tuple(c.slug for c in assessment.causes if c.slug in data.conditions)
    return Evaluation(
        case=case,
        urgency=assessment.urgency,
        causes=causes,
        recorded=recorded,
        stopped=not flow.is_complete(answers),
        unrecorded={
            code: _why_unrecorded(flow, answers, code)
            for code in dict.fromkeys(case.findings)
            if code not in recorded
        },
        unanswerable=_unanswerable(flow, answers),
        pages=tuple(step.title for step in flow.steps if step.slug in answers),
    )


def _percent(part: int, whole: int) -> int:
    """A whole-number percentage (0 when there is nothing to count)."""
    return round(100 * part / whole) if whole else 0


def summarise(evaluations: Sequence[Evaluation], files: int | None = None) -> dict[str, Any]:
    """The audit's figures: plain JSON types, in a stable order."""
    cases = [e.case for e in evaluations]
    outcomes = Counter(e.outcome for e in evaluations)
    levels = []
    for level in LEVELS_DOWN:
        group = [e for e in evaluations if e.case.expect == level]
        counts = Counter(e.outcome for e in group)
        levels.append(
            {
                "level": level,
                "n": len(group),
                "exact": counts["exact"],
                "under": counts["under"],
                "over": counts["over"],
                "exact_percent": _percent(counts["exact"], len(group)),
            }
        )
    with_causes = [e for e in evaluations if e.case.causes]
    hits = sum(e.hit for e in with_causes)
    kinds = Counter(c.kind for c in cases)
    return {
        "cases": len(cases),
        "case_files": len({c.file for c in cases}) if files is None else files,
        "by_file": dict(sorted(Counter(c.file for c in cases).items())),
        "by_kind": {kind: kinds[kind] for kind in KINDS if kinds[kind]},
        "levels": levels,
        "overall": {
            "n": len(evaluations),
            "exact": outcomes["exact"],
            "under": outcomes["under"],
            "over": outcomes["over"],
            "exact_percent": _percent(outcomes["exact"], len(evaluations)),
            "under_percent": _percent(outcomes["under"], len(evaluations)),
            "over_percent": _percent(outcomes["over"], len(evaluations)),
        },
        "top3_causes": {
            "n": len(with_causes),
            "hits": hits,
            "percent": _percent(hits, len(with_causes)),
        },
        "misses": [
            {
                "id": e.case.id,
                "file": e.case.file,
                "kind": e.case.kind,
                "story": e.case.story,
                "expected": e.case.expect,
                "got": e.urgency,
                "outcome": e.outcome,
            }
            for e in evaluations
            if e.outcome != "exact"
        ],
        "cause_misses": [
            {
                "id": e.case.id,
                "file": e.case.file,
                "story": e.case.story,
                "expected": list(e.case.causes),
                "got": list(e.causes[:TOP_CAUSES]),
            }
            for e in with_causes
            if not e.hit
        ],
        # Findings the checker never asked for or could not take, the emergency stop aside.
        "unrecorded": [
            {"id": e.case.id, "file": e.case.file, "findings": dict(sorted(unasked.items()))}
            for e in evaluations
            if (unasked := {c: why for c, why in e.unrecorded.items() if why != AFTER_STOP})
        ],
        "unanswerable": [
            {"id": e.case.id, "file": e.case.file, "questions": list(e.unanswerable)}
            for e in evaluations
            if e.unanswerable
        ],
    }


def audit(data: CheckerData, cases: Sequence[Case], files: int | None = None) -> dict[str, Any]:
    """Evaluate every case and sum the results up (see `summarise`), with the name of
    each condition the cause misses mention, so the page can show names, not slugs."""
    summary = summarise([evaluate(data, case) for case in cases], files)
    names = {c.slug: c.name for c in data.knowledge.conditions}
    slugs = sorted({s for m in summary["cause_misses"] for s in m["expected"] + m["got"]})
    summary["condition_names"] = {slug: names.get(slug, slug) for slug in slugs}
    return summary
