"""The two search engines, which return the same pages in the same order.

- `PostgresEngine` (production): the GIN-indexed weighted tsvector, `@@` and `ts_rank`,
  and pg_trgm's `%` (trigram-indexed) to find what a misspelt word was meant to be.
- `MemoryEngine` (SQLite, the embedded default): the same documents read into an
  in-process inverted index, rebuilt when the content version changes, ranked by the
  same formula (content/search/ranking.py).

Both order results by: the query is a page's name or phrase (tier 2), or holds one
(tier 1); then rank; then slug, so ties break the same way everywhere.
"""

from __future__ import annotations

import array
import copy
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, overload

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Collate

from content import version
from content.search import ranking, words
from content.search.models import SearchDocument, SearchPhrase, SearchWord
from content.search.query import Query

TYPO_SIMILARITY = 0.15  # pg_trgm.similarity_threshold, set on each connection (apps.py)
Matches = Sequence[SearchDocument] | QuerySet[SearchDocument]
HEAVY_FIELDS = ("terms_a", "terms_b", "terms_c", "terms_d", "vector")
# PostgreSQL sorts every match: only what a results page shows travels with them.
UNSHOWN_FIELDS = (*HEAVY_FIELDS, "body")


class Engine(Protocol):
    def known(self, query_words: Sequence[str]) -> set[str]:
        """Those of `query_words` that are on the site, as themselves or by their stem."""
        ...

    def near(self, word: str) -> set[str]:
        """Words on the site with at least TYPO_SIMILARITY of `word`'s trigrams in common,
        as pg_trgm's `%` finds them."""
        ...

    def matches(self, query: Query) -> Matches: ...


class PostgresEngine:
    def known(self, query_words: Sequence[str]) -> set[str]:
        stems = {w: words.stem(w) for w in query_words}
        found = SearchWord.objects.filter(Q(word__in=stems) | Q(stem__in=stems.values()))
        known_words, known_stems = set(), set()
        for word, stem in found.values_list("word", "stem"):
            known_words.add(word)
            known_stems.add(stem)
        return {w for w, s in stems.items() if w in known_words or s in known_stems}

    def near(self, word: str) -> set[str]:
        # `%` uses the trigram index, at the threshold each connection sets (apps.py).
        similar = SearchWord.objects.filter(word__trigram_similar=word)
        return set(similar.values_list("word", flat=True))

    def matches(self, query: Query) -> QuerySet[SearchDocument]:
        if not query.terms:
            return SearchDocument.objects.none()
        tsquery = SearchQuery(" | ".join(query.terms), search_type="raw", config="simple")
        exact = SearchPhrase.objects.filter(terms=query.phrase).values("document")
        inside = SearchPhrase.objects.filter(terms__in=query.ngrams).values("document")
        tier = Case(
            When(pk__in=exact, then=Value(2)),
            When(pk__in=inside, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        rank = SearchRank(F("vector"), tsquery, weights=list(ranking.WEIGHTS))
        # SearchDocument declares `rank` and `tier` (both engines set them); django-stubs
        # would rather annotate() added them.
        return (
            SearchDocument.objects.filter(vector=tsquery)
            .annotate(rank=rank, tier=tier)  # type: ignore[no-redef]
            .defer(*UNSHOWN_FIELDS)
            .order_by("-tier", "-rank", Collate("slug", "C"), "kind")
        )


@dataclass
class MemoryIndex:
    documents: list[SearchDocument] = field(default_factory=list)
    # term -> (document numbers, each one's score for the term: ranking.term_score)
    postings: dict[str, tuple[array.array[int], array.array[float]]] = field(default_factory=dict)
    phrases: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    words: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    by_trigram: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def load(cls) -> MemoryIndex:
        index = cls()
        numbers: dict[int, int] = {}
        for document in SearchDocument.objects.order_by("pk"):
            number = numbers[document.pk] = len(index.documents)
            counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
            for i, text in enumerate(
                (document.terms_a, document.terms_b, document.terms_c, document.terms_d)
            ):
                for term, count in Counter(text.split()).items():
                    counts[term][i] = count
            for term, per_field in counts.items():
                docs, scores = index.postings.setdefault(term, (array.array("I"), array.array("d")))
                docs.append(number)
                scores.append(ranking.term_score(ranking.occurrences(per_field)))
            for name in HEAVY_FIELDS:
                setattr(document, name, "")  # only the postings need them
            index.documents.append(document)
        for document_id, terms in SearchPhrase.objects.values_list("document_id", "terms"):
            if document_id in numbers:
                index.phrases[terms].add(numbers[document_id])
        for word, stem in SearchWord.objects.values_list("word", "stem"):
            index.words.add(word)
            index.stems.add(stem)
            for trigram in words.trigrams(word):
                index.by_trigram[trigram].add(word)
        return index


class MemoryEngine:
    """One search's view of the in-process index: the content version is read once, when
    the search first needs the index."""

    _lock = threading.Lock()
    _cached: tuple[int, MemoryIndex] | None = None

    def __init__(self) -> None:
        self._index: MemoryIndex | None = None

    @classmethod
    def forget(cls) -> None:
        cls._cached = None

    def index(self) -> MemoryIndex:
        if self._index is None:
            number = version.current()
            cached = MemoryEngine._cached
            if cached is None or cached[0] != number:
                with MemoryEngine._lock:
                    MemoryEngine._cached = cached = (number, MemoryIndex.load())
            self._index = cached[1]
        return self._index

    def known(self, query_words: Sequence[str]) -> set[str]:
        index = self.index()
        return {w for w in query_words if w in index.words or words.stem(w) in index.stems}

    def near(self, word: str) -> set[str]:
        index = self.index()
        shared = set().union(*(index.by_trigram.get(t, set()) for t in words.trigrams(word)))
        return {w for w in shared if words.similarity(word, w) >= TYPO_SIMILARITY}

    def matches(self, query: Query) -> Ranked:
        index = self.index()
        totals: dict[int, float] = defaultdict(float)
        for term in query.terms:  # sorted, as PostgreSQL adds them up
            if term in index.postings:
                for number, score in zip(*index.postings[term], strict=True):
                    totals[number] = ranking.add(totals[number], score)
        exact = index.phrases.get(query.phrase, set())
        inside = set().union(*(index.phrases.get(n, set()) for n in query.ngrams))
        found: list[tuple[int, float, str, str, int]] = []
        for number, total in totals.items():
            document = index.documents[number]
            found.append(
                (
                    -(2 if number in exact else 1 if number in inside else 0),
                    -ranking.finish(total, len(query.terms)),
                    document.slug,
                    document.kind,
                    number,
                )
            )
        return Ranked(index, sorted(found))


class Ranked(Sequence[SearchDocument]):
    """The memory engine's results, in order; a page of them becomes documents (with
    `tier` and `rank`, as PostgreSQL annotates them) only when it is shown."""

    def __init__(self, index: MemoryIndex, order: list[tuple[int, float, str, str, int]]):
        self.source, self.order = index, order

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, item: int) -> SearchDocument: ...
    @overload
    def __getitem__(self, item: slice) -> list[SearchDocument]: ...
    def __getitem__(self, item: int | slice) -> SearchDocument | list[SearchDocument]:
        if isinstance(item, slice):
            return [self._document(entry) for entry in self.order[item]]
        return self._document(self.order[item])

    def _document(self, entry: tuple[int, float, str, str, int]) -> SearchDocument:
        tier, rank, _, _, number = entry
        document = copy.copy(self.source.documents[number])
        document.tier, document.rank = -tier, -rank
        return document


def engine() -> Engine:
    if connection.vendor == "postgresql":
        return PostgresEngine()
    return MemoryEngine()
