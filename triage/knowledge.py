"""Turn the database models into the engine's plain data, cached per process.

The cache is checked against the content version (one query), so an edit in the admin
reaches every server on its next request without a shared cache.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from content.models import Condition, ConditionSymptom, Status, Symptom
from content.signals import current_version
from triage import engine
from triage.models import CombinationRule

_lock = threading.Lock()
_cached: tuple[int, engine.Knowledge] | None = None


def build_knowledge() -> engine.Knowledge:
    """Read findings, rules and published condition profiles from the database."""
    findings = {
        s.code: engine.Finding(code=s.code, meaning=s.meaning, level=s.level or None)
        for s in Symptom.objects.all()
    }
    weights: dict[str, dict[str, int]] = defaultdict(dict)
    for slug, code, weight in ConditionSymptom.objects.filter(
        condition__status=Status.PUBLISHED
    ).values_list("condition__slug", "symptom__code", "weight"):
        weights[slug][code] = weight
    conditions = tuple(
        engine.ConditionProfile(
            slug=c.slug, name=c.name, weights=weights.get(c.slug, {}), seriousness=c.seriousness
        )
        for c in Condition.objects.published().only("slug", "name", "seriousness")
    )
    rules = tuple(
        engine.Rule(
            slug=r.slug,
            level=r.level,
            reason=r.reason,
            source=r.source,
            all_of=frozenset(s.code for s in r.all_of.all()),
            any_of=frozenset(s.code for s in r.any_of.all()),
            none_of=frozenset(s.code for s in r.none_of.all()),
            conditions=tuple(c.slug for c in r.conditions.all() if c.status == Status.PUBLISHED),
        )
        for r in CombinationRule.objects.filter(active=True).prefetch_related(
            "all_of", "any_of", "none_of", "conditions"
        )
    )
    return engine.Knowledge(findings=findings, rules=rules, conditions=conditions)


def get_knowledge() -> engine.Knowledge:
    """The current knowledge, rebuilt only when the content version has changed."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        knowledge = build_knowledge()
        _cached = (version, knowledge)
    return knowledge


def clear_cache() -> None:
    """Forget the cached knowledge (tests that swap databases call this)."""
    global _cached
    _cached = None


def assess(codes: list[str]) -> engine.Assessment:
    return engine.assess(codes, get_knowledge())
