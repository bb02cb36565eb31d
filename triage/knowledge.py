"""Turn the database models into the engine's plain data, cached per process.

The cache is checked against the content version (one query), so an edit in the admin
reaches every server on its next request without a shared cache. Besides the engine's
knowledge it holds the checker's pages and questions (a wizard.Flow) and what the result
page links to, so a checker page costs one query once the cache is warm.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from content import version as content_version
from content.models import Condition, ConditionSymptom, Remedy, Status, Symptom
from triage import engine, safety, wizard
from triage.models import CombinationRule, Question, Step


@dataclass(frozen=True)
class Link:
    slug: str
    name: str
    summary: str
    url: str
    # A remedy offered only to a person who reported one of these (stop smoking: smoking).
    only_with: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CheckerData:
    knowledge: engine.Knowledge
    flow: wizard.Flow
    # Published conditions only, by slug, with the self-care (remedies) each links to.
    conditions: dict[str, Link]
    remedies: dict[str, tuple[Link, ...]]
    # Ways the knowledge breaks the safety rules (triage/safety.py); the checker refuses
    # to answer while there are any.
    problems: tuple[str, ...] = ()


_lock = threading.Lock()
_cached: tuple[int, CheckerData] | None = None


def _codes(symptoms: Any) -> frozenset[str]:
    return frozenset(s.code for s in symptoms.all())


def build_knowledge() -> engine.Knowledge:
    """Read findings, rules and published condition profiles from the database."""
    findings = {
        s.code: engine.Finding(
            code=s.code,
            meaning=s.meaning,
            level=s.level or None,
            name=s.name,
            context=s.context,
            concern=s.concern,
        )
        for s in Symptom.objects.all()
    }
    weights: dict[str, dict[str, int]] = defaultdict(dict)
    for slug, code, weight in ConditionSymptom.objects.filter(
        condition__status=Status.PUBLISHED
    ).values_list("condition__slug", "symptom__code", "weight"):
        weights[slug][code] = weight
    conditions = tuple(
        engine.ConditionProfile(
            slug=c.slug,
            name=c.name,
            weights=weights.get(c.slug, {}),
            seriousness=c.seriousness,
            only_with=frozenset(s.code for s in c.only_with.all()),
        )
        for c in Condition.objects.published()
        .only("slug", "name", "seriousness")
        .prefetch_related("only_with")
    )
    rules = tuple(
        engine.Rule(
            slug=r.slug,
            level=r.level,
            reason=r.reason,
            source=r.source,
            all_of=_codes(r.all_of),
            any_of=_codes(r.any_of),
            groups=tuple(
                (least, codes)
                for least, codes in (
                    (1, _codes(r.any_of_2)),
                    (1, _codes(r.any_of_3)),
                    (2, _codes(r.two_of)),
                )
                if codes
            ),
            conditions=tuple(c.slug for c in r.conditions.all() if c.status == Status.PUBLISHED),
        )
        for r in CombinationRule.objects.filter(active=True).prefetch_related(
            "all_of", "any_of", "any_of_2", "any_of_3", "two_of", "conditions"
        )
    )
    return engine.Knowledge(findings=findings, rules=rules, conditions=conditions)


def build_flow() -> wizard.Flow:
    """The checker's steps, questions and options, in page order."""
    questions = list(Question.objects.prefetch_related("options__symptom", "shown_if_any"))
    slugs = {q.pk: q.slug for q in questions}
    by_step: dict[int, list[wizard.QuestionSpec]] = defaultdict(list)
    for q in questions:
        by_step[q.step_id].append(
            wizard.QuestionSpec(
                slug=q.slug,
                text=q.text,
                hint=q.hint,
                kind=q.kind,
                none_label=q.none_label,
                shown_if_any=frozenset(s.code for s in q.shown_if_any.all()),
                behind=slugs.get(q.behind_id, "") if q.behind_id else "",
                options=tuple(
                    wizard.OptionSpec(code=o.symptom.code, label=o.label, hint=o.hint)
                    for o in q.options.all()
                ),
            )
        )
    return wizard.Flow(
        steps=tuple(
            wizard.StepSpec(slug=s.slug, title=s.title, intro=s.intro, questions=tuple(qs))
            for s in Step.objects.all()
            if (qs := by_step.get(s.pk))
        )
    )


def build_links() -> tuple[dict[str, Link], dict[str, tuple[Link, ...]]]:
    """Published conditions and the remedies each links to, for the result page."""
    conditions: dict[str, Link] = {}
    remedies: dict[str, tuple[Link, ...]] = {}
    for c in Condition.objects.published().prefetch_related(
        Prefetch(
            "remedies",
            queryset=Remedy.objects.order_by("kind", "order", "name").prefetch_related("only_with"),
        )
    ):
        conditions[c.slug] = Link(c.slug, c.name, c.summary, c.get_absolute_url())
        remedies[c.slug] = tuple(
            Link(r.slug, r.name, r.summary, r.get_absolute_url(), _codes(r.only_with))
            for r in c.remedies.all()
        )
    return conditions, remedies


def build_data() -> CheckerData:
    """The checker's data, with every way it breaks the safety rules (triage/safety.py),
    the reference cases included."""
    conditions, remedies = build_links()
    data = CheckerData(
        knowledge=build_knowledge(),
        flow=build_flow(),
        conditions=conditions,
        remedies=remedies,
    )
    return dataclasses.replace(data, problems=(*safety.problems(), *_case_problems(data)))


# The reference cases' verdict on each distinct knowledge seen by this process. Walking the
# 121 cases is most of the cost of building the data, and most edits (an article's text)
# leave what the cases read unchanged. Keyed by the knowledge written out in full, so a
# verdict is only ever reused for identical knowledge.
_verdicts: dict[str, tuple[str, ...]] = {}
MAX_VERDICTS = 16


def _case_problems(data: CheckerData) -> tuple[str, ...]:
    key = repr((data.knowledge, data.flow, sorted(data.conditions)))
    if (known := _verdicts.get(key)) is not None:
        return known
    try:
        found = tuple(safety.case_problems(data))
    except (KeyError, ValueError) as error:  # pages too broken to walk at all
        found = (f"The checker's pages cannot be walked: {error}.",)
    if len(_verdicts) >= MAX_VERDICTS:
        _verdicts.clear()
    _verdicts[key] = found
    return found


def get_data() -> CheckerData:
    """Everything the checker reads, rebuilt only when the content version has changed."""
    global _cached
    version = content_version.current()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        # Threads that waited here while another built the data use what it built.
        cached = _cached
        if cached is not None and cached[0] == version:
            return cached[1]
        data = build_data()
        _cached = (version, data)
    return data


def get_knowledge() -> engine.Knowledge:
    """The current knowledge, rebuilt only when the content version has changed."""
    return get_data().knowledge


def clear_cache() -> None:
    """Forget the cached knowledge (tests that swap databases call this)."""
    global _cached
    _cached = None


def cached() -> tuple[int, CheckerData] | None:
    """The cached data and the content version it was built for (the tests keep the
    data of the content as loaded, and start each test from it with `use_cached`)."""
    return _cached


def use_cached(entry: tuple[int, CheckerData] | None) -> None:
    global _cached
    _cached = entry


def assess(codes: list[str]) -> engine.Assessment:
    return engine.assess(codes, get_knowledge())
