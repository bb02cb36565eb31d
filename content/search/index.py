"""Keeps the search tables (content/search/models.py) in step with the content.

Saves and deletes in the admin refresh the one page they touch (content/search/signals.py);
bulk writes that send no signals (load_content, restore_content, migrate) call `rebuild()`,
and seed_conditions calls `refresh_conditions()` for what it made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Prefetch

from content.models import Condition, ConditionSymptom, DiagnosticTest, Remedy
from content.search import words
from content.search.models import DocumentKind, SearchDocument, SearchPhrase, SearchWord

# PostgreSQL keeps at most 16,383 positions in a tsvector; staying below keeps both engines
# counting the same positions (content/search/ranking.py).
MAX_TERMS = 16_000
BATCH = 500
_MARKDOWN = re.compile(r"^\s*(?:[-*+]|\d+\.|#+|>)\s+|[*_`#>\[\]]|\(https?://[^)]*\)", re.M)

# The weighted tsvector, built from terms made in Python: 'simple' only splits on spaces.
VECTOR = (
    SearchVector("terms_a", weight="A", config="simple")
    + SearchVector("terms_b", weight="B", config="simple")
    + SearchVector("terms_c", weight="C", config="simple")
    + SearchVector("terms_d", weight="D", config="simple")
)


@dataclass
class Page:
    """What one document is made of, before it becomes rows."""

    kind: str
    source_id: int
    slug: str
    title: str
    url: str
    summary: str
    seriousness: str = ""
    names: list[str] = field(default_factory=list)  # other names: weight A
    phrases: list[str] = field(default_factory=list)  # common search phrases: weight B
    extra: list[str] = field(default_factory=list)  # typical symptoms: weight C
    texts: list[str] = field(default_factory=list)  # the body: weight D

    def document(self) -> SearchDocument:
        body = "\n\n".join([*(plain(text) for text in self.texts), *self.extra])
        a = words.terms(" ".join([self.title, *self.names]))
        b = words.terms(" ".join(self.phrases))
        c = words.terms(" ".join([self.summary, *self.extra]))
        d = words.terms(body)[: max(0, MAX_TERMS - len(a) - len(b) - len(c))]
        return SearchDocument(
            kind=self.kind,
            source_id=self.source_id,
            slug=self.slug,
            title=self.title,
            url=self.url,
            summary=self.summary,
            seriousness=self.seriousness,
            also_called="\n".join(self.names),
            phrases="\n".join(self.phrases),
            body=body,
            terms_a=" ".join(a),
            terms_b=" ".join(b),
            terms_c=" ".join(c),
            terms_d=" ".join(d),
        )

    def phrase_terms(self) -> set[str]:
        return {p for p in map(words.phrase, [self.title, *self.names, *self.phrases]) if p}

    def vocabulary(self) -> set[tuple[str, str]]:
        text = " ".join([self.title, *self.names, *self.phrases, self.summary, *self.extra])
        found = words.ascii_words(text + " " + " ".join(self.texts))
        return {
            (w, words.stem(w))
            for w in found
            if len(w) >= 3 and w.isalpha() and w not in words.STOP_WORDS
        }


def plain(markdown: str) -> str:
    """Markdown without its markup, for snippets."""
    return _MARKDOWN.sub("", markdown).strip()


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def condition_pages(conditions: Iterable[Condition]) -> list[Page]:
    return [
        Page(
            kind=DocumentKind.CONDITION,
            source_id=c.pk,
            slug=c.slug,
            title=c.name,
            url=c.get_absolute_url(),
            summary=c.summary,
            seriousness=c.seriousness,
            names=c.other_names_list,
            phrases=split_lines(c.search_phrases),
            extra=[link.symptom.name for link in c.typical_symptoms.all()],
            texts=[
                c.what_it_is,
                c.should_i_worry,
                c.symptoms,
                c.causes,
                c.diagnosis,
                c.treatment,
                *(flag.text for flag in c.red_flags.all()),
            ],
        )
        for c in conditions
    ]


def remedy_pages(remedies: Iterable[Remedy]) -> list[Page]:
    return [
        Page(
            kind=DocumentKind.REMEDY,
            source_id=r.pk,
            slug=r.slug,
            title=r.name,
            url=r.get_absolute_url(),
            summary=r.summary,
            texts=[r.how_to, r.safety],
        )
        for r in remedies
    ]


def test_pages(tests: Iterable[DiagnosticTest]) -> list[Page]:
    return [
        Page(
            kind=DocumentKind.TEST,
            source_id=t.pk,
            slug=t.slug,
            title=t.name,
            url=t.get_absolute_url(),
            summary=t.summary,
            names=[t.short_name] if t.short_name else [],
            texts=[t.body],
        )
        for t in tests
    ]


def published_conditions(ids: Sequence[int] | None = None) -> Iterable[Condition]:
    symptoms = Prefetch(
        "typical_symptoms", queryset=ConditionSymptom.objects.select_related("symptom")
    )
    conditions = Condition.objects.published().prefetch_related(symptoms, "red_flags")
    return conditions.filter(pk__in=ids) if ids is not None else conditions


def _write(pages: list[Page]) -> None:
    documents = SearchDocument.objects.bulk_create(
        [page.document() for page in pages], batch_size=BATCH
    )
    SearchPhrase.objects.bulk_create(
        [
            SearchPhrase(document=document, terms=terms[:250])
            for page, document in zip(pages, documents, strict=True)
            for terms in page.phrase_terms()
        ],
        batch_size=BATCH,
    )
    vocabulary = set().union(*(page.vocabulary() for page in pages)) if pages else set()
    SearchWord.objects.bulk_create(
        [SearchWord(word=w[:60], stem=s[:60]) for w, s in sorted(vocabulary)],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    if connection.vendor == "postgresql":
        SearchDocument.objects.filter(pk__in=[d.pk for d in documents]).update(vector=VECTOR)


@transaction.atomic
def rebuild() -> int:
    """Index every published page afresh; returns how many documents there are."""
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    pages = condition_pages(published_conditions())
    pages += remedy_pages(Remedy.objects.all())
    pages += test_pages(DiagnosticTest.objects.all())
    for start in range(0, len(pages), BATCH):
        _write(pages[start : start + BATCH])
    return len(pages)


@transaction.atomic
def refresh(kind: str, ids: Sequence[int]) -> None:
    """Index these objects again (or drop them, when deleted or no longer published).
    Words no page uses any more stay in the word list until the next rebuild: a typo
    corrected to one of them simply finds nothing."""
    SearchDocument.objects.filter(kind=kind, source_id__in=ids).delete()
    pages: list[Page]
    if kind == DocumentKind.CONDITION:
        for start in range(0, len(ids), BATCH):
            _write(condition_pages(published_conditions(ids[start : start + BATCH])))
        return
    if kind == DocumentKind.REMEDY:
        pages = remedy_pages(Remedy.objects.filter(pk__in=ids))
    else:
        pages = test_pages(DiagnosticTest.objects.filter(pk__in=ids))
    _write(pages)


def refresh_conditions(ids: Sequence[int]) -> None:
    refresh(DocumentKind.CONDITION, ids)


def remove(kind: str, ids: Sequence[int]) -> None:
    SearchDocument.objects.filter(kind=kind, source_id__in=ids).delete()
