"""Condition pages' data and the A-Z list, loaded once per content version in each process.

The page cache (content/caching.py) serves a condition page to readers without cookies.
Everyone else (a reader with any cookie, the first reader after an edit on each server)
gets the page rendered by the view, and loading a condition with all it shows takes seven
queries and most of the view's time. Here each condition, once loaded, is kept in this
process's memory under the content version (content/version.py) as a `ConditionPage`,
plain lists the template walks without a query or a URL lookup: the next reader past the
page cache costs one query, and an edit, which raises the version, shows at once on every
server. Editors (staff) always read the database as it is.

The A-Z list (`az_list`) is kept the same way, whole: sorting and paging thousands of
conditions in the database, and a URL lookup for each, cost the A-Z past the page cache
most of its time.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from content import version
from content.models import (
    ClinicalSignOff,
    Condition,
    ConditionSymptom,
    RedFlag,
    Seriousness,
    Source,
    Urgency,
)

CARD_URGENCIES = [Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON]

# Conditions kept per process: the real site has about 50; generated benchmark content
# has thousands, of which only those read are kept.
MAX_KEPT = 512


@dataclass(frozen=True)
class Link:
    url: str
    name: str
    summary: str = ""


@dataclass
class Sign:
    """A line of a care card (content/_care_card.html), with the conditions it links to
    (none on a condition's own page)."""

    text: str
    conditions: list[Condition] = field(default_factory=list)


@dataclass(frozen=True)
class ConditionPage:
    condition: Condition  # its own fields (texts, dates); its relations are below
    cards: list[tuple[str, list[Sign]]]  # red flags by urgency, most urgent first
    typical: list[tuple[str, bool]]  # (symptom, is it the main sign?)
    tests: list[Link]
    remedies: list[Link]
    related: list[Link]
    sources: list[Source]
    # A clinician's sign-off of this very version (None until one signs it, and again
    # after any edit): the byline's "Reviewed by" line.
    review: ClinicalSignOff | None = None
    # schema.org data for search engines, all but the page's absolute URL
    about: dict[str, Any] = field(default_factory=dict)
    article: SafeString = SafeString("")  # the article's HTML (content/_condition_article.html)

    @property
    def serious(self) -> bool:
        return self.condition.seriousness != Seriousness.HARMLESS

    @property
    def cards_first(self) -> bool:
        """All care cards come before the article on a serious page, and on a page with
        one level of card (a summary of it would be the card again)."""
        return self.serious or len(self.cards) == 1

    @property
    def summary(self) -> tuple[str, list[Sign]] | None:
        """The most urgent card, every sign of it, shown under the summary of a page whose
        full cards come after the article, so that a reader on a phone sees the most urgent
        help within two screens. Never a lower level than the page's most urgent sign:
        `cards` is most urgent first."""
        return None if self.cards_first or not self.cards else self.cards[0]

    @property
    def publishers(self) -> str:
        """The publishers of the article's sources, plainly listed: "MSD Manual, NHS and
        NICE" (the byline's "checked against ... guidance")."""
        return plain_list(list(dict.fromkeys(source.publisher for source in self.sources)))


def plain_list(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), *items[-1:]]))


def page_of(condition: Condition) -> ConditionPage:
    flags = list(condition.red_flags.all())
    cards = [(u.value, [Sign(f.text) for f in flags if f.urgency == u]) for u in CARD_URGENCIES]
    typical = [(cs.symptom.name, cs.weight == 3) for cs in condition.typical_symptoms.all()]
    remedies = [Link(r.get_absolute_url(), r.name, r.summary) for r in condition.remedies.all()]
    page = ConditionPage(
        condition=condition,
        cards=[(urgency, items) for urgency, items in cards if items],
        typical=typical,
        tests=[Link(t.get_absolute_url(), str(t), t.summary) for t in condition.tests.all()],
        remedies=remedies,
        related=[Link(c.get_absolute_url(), c.name) for c in condition.related.all()],
        sources=list(condition.sources.all()),
        review=condition.current_sign_off(),
        about=_about(condition, [name for name, _ in typical], [r.name for r in remedies]),
    )
    context = {
        "page": page,
        "condition": condition,
        "cards": page.cards,
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        "SITE_NAME": settings.SITE_NAME,
    }
    article = mark_safe(render_to_string("content/_condition_article.html", context))  # noqa: S308 (escaped by the template)
    return dataclasses.replace(page, article=article)


def _about(condition: Condition, symptoms: list[str], remedies: list[str]) -> dict[str, Any]:
    about: dict[str, Any] = {
        "@type": "MedicalCondition",
        "name": condition.name,
        "description": condition.summary,
    }
    if condition.other_names_list:
        about["alternateName"] = condition.other_names_list
    if symptoms:
        about["signOrSymptom"] = [{"@type": "MedicalSignOrSymptom", "name": s} for s in symptoms]
    if remedies:
        about["possibleTreatment"] = [{"@type": "MedicalTherapy", "name": r} for r in remedies]
    return about


_kept: OrderedDict[tuple[int, str], ConditionPage] = OrderedDict()
_lock = threading.Lock()


def with_everything(queryset: QuerySet[Condition], slug: str) -> Condition:
    """One condition and all its page shows, in a fixed number of queries (7; its
    clinician's sign-off comes in the condition's own query)."""
    return get_object_or_404(
        queryset.select_related("sign_off").prefetch_related(
            Prefetch("red_flags", queryset=RedFlag.objects.order_by("order", "pk")),
            Prefetch(
                "typical_symptoms",
                queryset=ConditionSymptom.objects.select_related("symptom"),
            ),
            "sources",
            "remedies",
            "tests",
            Prefetch("related", queryset=Condition.objects.links()),
        ),
        slug=slug,
    )


def published(request: HttpRequest, slug: str) -> ConditionPage:
    """The published condition's page data (404 if there is none). Shared between
    requests: templates and views only read it."""
    # Only a request with a session can be an editor's; asking anyone else's request for
    # its user would read the session and mark the page "Vary: Cookie", uncacheable.
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff:
        return page_of(with_everything(Condition.objects.published(), slug))
    key = (version.current(), slug)
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return kept
    page = page_of(with_everything(Condition.objects.published(), slug))
    with _lock:
        _kept[key] = page
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)  # the least recently read, or an old version's
    return page


def forget() -> None:
    """Drop every kept condition and the A-Z list (tests that change rows behind the
    signals' back)."""
    global _az
    with _lock:
        _kept.clear()
        _az = None


@dataclass(frozen=True)
class Entry:
    """One condition on the A-Z list."""

    url: str
    name: str
    other_names: str
    summary: str
    seriousness: str

    @property
    def letter(self) -> str:
        return self.name[:1].upper()


@dataclass(frozen=True)
class AZList:
    entries: tuple[Entry, ...]  # published conditions, least worrying first, then by name
    letters: tuple[str, ...]  # the first letters of their names, A to Z

    def starting_with(self, letter: str) -> list[Entry]:
        return [e for e in self.entries if e.letter == letter] if letter else list(self.entries)


_az: tuple[int, AZList] | None = None


def az_list() -> AZList:
    """The published conditions for the A-Z page, as of the current content version."""
    global _az
    current = version.current()
    kept = _az
    if kept is not None and kept[0] == current:
        return kept[1]
    rows = (
        Condition.objects.published()
        .by_seriousness()
        .values_list("slug", "name", "other_names", "summary", "seriousness")
    )
    entries = tuple(
        Entry(reverse("content:condition", args=[slug]), name, other, summary, seriousness)
        for slug, name, other, summary, seriousness in rows
    )
    made = AZList(entries, tuple(sorted({e.letter for e in entries})))
    _az = (current, made)
    return made
