"""The checker's safety rules, in one place.

`problems()` reads the database and lists every way the checker's knowledge breaks the
clinical brief (docs/clinical-brief.md, the repo's triage/data/findings.yaml and the brief's
rules in triage/fixtures/rules.yaml). It is run by the Django system check
(triage/checks.py: `manage.py check` fails) and, once per content version, by the checker
itself, which then refuses to answer and shows the emergency advice instead
(triage/views.py). An empty list means safe.

The rules:
1. Every finding of the brief exists, keeps the brief's floor and is not below it.
2. The emergency pages come first, are shown to everyone (no follow-up, no gateway), and
   together offer exactly the emergency-level findings.
3. Every finding of the brief can be recorded (some option offers it); every finding of
   level soon or above is offered on a question that is not a follow-up (everyone is asked
   it, or everyone who answers Yes to the gateway about it); an option records only the
   kinds of finding its page asks for (an emergency-signs option cannot record a cramp).
   A gateway is alone on its page, offers no options, and comes before what it opens.
4. No red flag is shown below its finding's level or below its reviewed level (the
   fixtures), and an urgent or emergency red flag names its finding.
5. The brief's rules that reach urgent or emergency exist, are switched on, are not lowered
   and match at least everyone the brief's version matches.
6. No reference case (triage/cases/*.yaml) is told less urgent advice than the brief gives
   it, or loses a finding because no question asks for it (`case_problems`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from django.conf import settings
from django.utils.text import Truncator

from content.models import RedFlag, Symptom
from triage import reference_cases
from triage.engine import EMERGENCY, SOON, URGENT, rank
from triage.models import CombinationRule, Option, Question, QuestionKind, Step
from triage.reference_cases import YAML_LOADER

# The emergency signs' pages, asked first and of everyone (at most 8 signs a page).
EMERGENCY_STEPS = ("emergency", "emergency-more")
# Lists of which a rule needs at least one (two for two_of) present: a non-empty list
# may only gain findings, and an empty one may not be filled in (both would narrow it).
GROUPS = ("any_of", "any_of_2", "any_of_3", "two_of")
SETS = ("all_of", *GROUPS)
# Most refusals name a handful of cases; a broken page can fail all of them.
MAX_CASES_NAMED = 8


@cache
def _brief_findings() -> dict[str, dict[str, Any]]:
    path = settings.BASE_DIR / "triage" / "data" / "findings.yaml"
    findings: dict[str, dict[str, Any]] = yaml.load(
        path.read_text(encoding="utf-8"), Loader=YAML_LOADER
    )
    return findings


@cache
def brief_levels() -> dict[str, str]:
    """Each finding code's level in the repo's findings.yaml ("" for none)."""
    groups = _brief_findings()
    return {code: spec["level"] or "" for group in groups.values() for code, spec in group.items()}


@cache
def brief_groups() -> dict[str, str]:
    """Each finding code's group (its kind) in the repo's findings.yaml."""
    return {code: group for group, codes in _brief_findings().items() for code in codes}


@cache
def reviewed_step_kinds() -> dict[str, frozenset[str]]:
    """The kinds (findings.yaml groups) of finding each page asks for in the reviewed
    fixtures (triage/fixtures/questions.yaml), by step slug."""
    path = settings.BASE_DIR / "triage" / "fixtures" / "questions.yaml"
    records = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
    step_of = {
        r["fields"]["slug"]: r["fields"]["step"][0]
        for r in records
        if r["model"] == "triage.question"
    }
    kinds: dict[str, set[str]] = {}
    groups = brief_groups()
    for record in records:
        if record["model"] == "triage.option":
            fields = record["fields"]
            step = step_of[fields["question"][0]]
            kinds.setdefault(step, set()).add(groups.get(fields["symptom"][0], ""))
    return {step: frozenset(found) for step, found in kinds.items()}


@cache
def reviewed_red_flags() -> dict[tuple[str, str], str]:
    """Each red flag's urgency in the reviewed fixtures, by (condition slug, flag slug)."""
    flags = {}
    for path in sorted((settings.BASE_DIR / "content" / "fixtures" / "conditions").glob("*.yaml")):
        for record in yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []:
            if record["model"] == "content.redflag":
                fields = record["fields"]
                flags[(fields["condition"][0], fields["slug"])] = fields["urgency"]
    return flags


@cache
def brief_rules() -> dict[str, dict[str, Any]]:
    """The brief's rules as the reviewed fixture defines them, by slug."""
    path = settings.BASE_DIR / "triage" / "fixtures" / "rules.yaml"
    records = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or []
    rules = {}
    for record in records:
        fields = record["fields"]
        rules[fields["slug"]] = {
            "level": fields["level"],
            **{name: {key[0] for key in fields.get(name) or []} for name in SETS},
        }
    return rules


def narrows(brief: dict[str, Any], sets: dict[str, set[str]]) -> list[str]:
    """The lists of a rule that would make it match fewer people than the brief's."""
    narrower = ["all_of"] if not sets["all_of"] <= brief["all_of"] else []
    return narrower + [
        name for name in GROUPS if sets[name] and not (brief[name] and brief[name] <= sets[name])
    ]


def _at_least(level: str, floor: str) -> bool:
    return not floor or bool(level) and rank(level) >= rank(floor)


def problems() -> list[str]:
    """Every way the database breaks the safety rules, in plain words for editors."""
    levels = brief_levels()
    found = _finding_problems(levels)
    found += _step_problems(levels)
    found += _option_problems(levels)
    found += _red_flag_problems()
    found += _rule_problems()
    return found


def _finding_problems(levels: dict[str, str]) -> list[str]:
    symptoms = {s.code: s for s in Symptom.objects.only("code", "level", "floor_level")}
    found = []
    for code, level in levels.items():
        symptom = symptoms.get(code)
        if symptom is None:
            found.append(f"The finding '{code}' of the clinical brief is missing.")
        elif symptom.floor_level != level or not _at_least(symptom.level, level):
            found.append(
                f"The finding '{code}' is at '{symptom.level or 'no level'}'; "
                f"the clinical brief sets it at '{level}'."
            )
    return found


def _step_problems(levels: dict[str, str]) -> list[str]:
    found = []
    first = tuple(Step.objects.order_by("order").values_list("slug", flat=True))
    if first[: len(EMERGENCY_STEPS)] != EMERGENCY_STEPS:
        found.append("The emergency signs must be the first pages of the checker.")
    emergency = {code for code, level in levels.items() if level == EMERGENCY}
    questions = Question.objects.filter(step__slug__in=EMERGENCY_STEPS)
    if any(q.shown_if_any.exists() or q.behind_id for q in questions):
        found.append(
            "The emergency signs must be asked of everyone (not as a follow-up or behind a "
            "Yes / No question)."
        )
    offered = set(
        Option.objects.filter(question__step__slug__in=EMERGENCY_STEPS).values_list(
            "symptom__code", flat=True
        )
    )
    if missing := sorted(emergency - offered):
        found.append(f"The emergency page does not ask: {', '.join(missing)}.")
    if extra := sorted(offered - emergency):
        found.append(f"The emergency page asks non-emergency findings: {', '.join(extra)}.")
    everyone = set(
        Option.objects.filter(question__shown_if_any__isnull=True).values_list(
            "symptom__code", flat=True
        )
    )
    matters = {code for code, level in levels.items() if level and rank(level) >= rank(SOON)}
    if hidden := sorted(matters - everyone):
        found.append(f"No question that everyone sees asks: {', '.join(hidden)}.")
    return found + _gateway_problems()


def _gateway_problems() -> list[str]:
    """A gateway is alone on its page, records nothing, and opens only later pages, so a
    person always answers it before the questions it hides, and a "No" hides nothing else."""
    found = []
    questions = list(Question.objects.select_related("step", "behind__step"))
    gateways = [q for q in questions if q.kind == QuestionKind.GATEWAY]
    for gate in gateways:
        if sum(q.step_id == gate.step_id for q in questions) > 1:
            found.append(f"The Yes / No question '{gate.text}' must be alone on its page.")
        if gate.options.exists():
            found.append(f"The Yes / No question '{gate.text}' must have no answer options.")
        if gate.shown_if_any.exists():
            found.append(f"The Yes / No question '{gate.text}' must not be a follow-up.")
    for q in questions:
        if q.behind is None:
            continue
        if q.behind.kind != QuestionKind.GATEWAY:
            found.append(
                f"The question '{q.text}' is behind '{q.behind.text}', not a Yes / No one."
            )
        elif q.behind.step.order >= q.step.order:
            found.append(f"The question '{q.text}' must come after '{q.behind.text}'.")
    return found


def _option_problems(levels: dict[str, str]) -> list[str]:
    found = []
    options = Option.objects.select_related("question__step", "symptom")
    offered = {option.symptom.code for option in options}
    if unrecordable := sorted(set(levels) - offered):
        found.append(f"No question offers these findings any more: {', '.join(unrecordable)}.")
    kinds, groups = reviewed_step_kinds(), brief_groups()
    for option in options:
        step = option.question.step
        kind = groups.get(option.symptom.code, option.symptom.group)
        # A page the reviewed fixtures do not have may ask anything but emergency signs,
        # which belong on the emergency page (and the brief's follow-up after back pain).
        allowed = kinds.get(step.slug, frozenset(set(groups.values()) - {"emergency_signs"}))
        if kind not in allowed:
            found.append(
                f"The option '{option.label}' on the page '{step.title}' records "
                f"'{option.symptom.code}', a finding of a kind that page does not ask for."
            )
    return found


def _red_flag_problems() -> list[str]:
    found = []
    reviewed = reviewed_red_flags()
    flags = RedFlag.objects.select_related("condition", "finding")
    for flag in flags:
        where = f"The red flag '{flag.text}' on {flag.condition.name}"
        floor = reviewed.get((flag.condition.slug, flag.slug), "")
        if not _at_least(flag.urgency, floor):
            found.append(f"{where} is shown as {flag.urgency}; it was reviewed as {floor}.")
        if flag.finding is None:
            if rank(flag.urgency) >= rank(URGENT):
                found.append(f"{where} is {flag.urgency} but names no finding.")
        elif not _at_least(flag.urgency, flag.finding.level):
            found.append(f"{where} is shown as {flag.urgency}, below its finding's level.")
    return found


def _rule_problems() -> list[str]:
    found = []
    rules = {r.slug: r for r in CombinationRule.objects.prefetch_related(*SETS)}
    for slug, brief in brief_rules().items():
        if rank(brief["level"]) < rank(URGENT):
            continue
        rule = rules.get(slug)
        if rule is None:
            found.append(f"The clinical brief's rule '{slug}' is missing.")
            continue
        if not rule.active:
            found.append(f"The rule '{rule.name}' is switched off.")
        if rank(rule.level) < rank(brief["level"]):
            found.append(f"The rule '{rule.name}' is at '{rule.level}', below the brief's.")
        sets = {name: {s.code for s in getattr(rule, name).all()} for name in SETS}
        if narrower := narrows(brief, sets):
            found.append(f"The rule '{rule.name}' matches fewer people ({', '.join(narrower)}).")
    return found


@cache
def _cases() -> tuple[reference_cases.Case, ...]:
    return tuple(reference_cases.load_cases())


def case_problems(data: reference_cases.CheckerData) -> list[str]:
    """The reference cases the knowledge under-triages or can no longer record, in words."""
    under, unrecorded = [], []
    for case in _cases():
        result = reference_cases.evaluate(data, case)
        story = f" ({Truncator(case.story).chars(70)})" if case.story else ""
        if result.outcome == "under":
            under.append(
                f"{case.id}{story} would be told '{result.urgency}' instead of '{case.expect}'"
            )
        lost = sorted(c for c, why in result.unrecorded.items() if why == reference_cases.NOT_ASKED)
        if lost:
            unrecorded.append(f"{case.id} could not record {', '.join(lost)}")
    found = []
    for label, items in (("less urgent advice", under), ("lost answers", unrecorded)):
        if items:
            named = "; ".join(items[:MAX_CASES_NAMED])
            more = len(items) - MAX_CASES_NAMED
            found.append(
                f"{len(items)} reference case(s) would get {label}: {named}"
                + (f"; and {more} more." if more > 0 else ".")
            )
    return found
