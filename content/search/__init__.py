"""Search: one function, `search(text)`, ranked the same on PostgreSQL and SQLite.

- words.py: words to terms (stems), trigrams and typo distance, shared by both engines
- query.py: what was typed, made safe, and the query's terms and phrases
- models.py, index.py, signals.py: the index tables and what keeps them in step
- ranking.py: ts_rank, as PostgreSQL computes it
- engines.py: PostgreSQL's full-text search, and the in-process index SQLite uses
- around.py: the 999 card, the checker offer, and why each page matched
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from content.search import around, engines, words
from content.search.models import SearchDocument
from content.search.query import MAX_QUERY_LENGTH, Query, clean_query, query_words

__all__ = ["MAX_QUERY_LENGTH", "Results", "clean_query", "search"]

SUGGESTION_SIMILARITY = 0.3  # "did you mean" reaches further than silent correction


@dataclass
class Results:
    query: Query
    matches: engines.Matches  # a QuerySet on PostgreSQL: the page shown is all it fetches
    engine: engines.Engine
    known: set[str] = field(default_factory=set)  # the words typed that the site uses

    @cached_property
    def emergency_signs(self) -> list[around.Sign]:
        return around.emergency_signs(self.query)

    @cached_property
    def names_symptoms(self) -> bool:
        return around.names_symptoms(self.query)

    @cached_property
    def suggestion(self) -> str:
        """'Did you mean', for a search that found nothing: each unknown word replaced by
        the most alike word on the site, if one is alike enough."""
        typed = query_words(self.query.text)
        suggested = []
        for word in typed:
            near = [] if word in self.known else self.engine.near(word)
            best = max(((words.similarity(word, w), w) for w in near), default=(0.0, word))
            suggested.append(best[1] if best[0] >= SUGGESTION_SIMILARITY else word)
        return " ".join(suggested) if suggested != typed else ""

    def hits(self, documents: Iterable[SearchDocument]) -> list[around.Hit]:
        """Results as shown, each with why it matched. PostgreSQL fetches a page without
        its text; the few that need it to say why they matched get it in one query."""
        documents = list(documents)
        deferred = [
            d
            for d in documents
            if "body" in d.get_deferred_fields() and around.needs_body(d, self.query)
        ]
        if deferred:
            bodies = dict(
                SearchDocument.objects.filter(pk__in=[d.pk for d in deferred]).values_list(
                    "pk", "body"
                )
            )
            for document in deferred:
                document.body = bodies.get(document.pk, "")
        return [around.Hit(d, around.why(d, self.query), self.query) for d in documents]


def best_correction(word: str, candidates: set[str]) -> str | None:
    """The word most likely meant: fewest edits (no more than the word's length allows),
    then most alike, then first alphabetically."""
    allowed = words.allowed_typos(word)
    scored = [
        (words.typo_distance(word, c), -words.similarity(word, c), c) for c in sorted(candidates)
    ]
    within = [s for s in scored if s[0] <= allowed]
    return min(within)[2] if within else None


def search(text: str, engine: engines.Engine | None = None) -> Results:
    """Pages matching `text` (already cleaned by clean_query), best first."""
    engine = engine or engines.engine()
    typed = query_words(text)
    known = engine.known(typed) if typed else set()
    corrections = {}
    for word in dict.fromkeys(typed):
        fix = None
        if word not in known and words.allowed_typos(word):
            fix = best_correction(word, engine.near(word))
        if fix:
            corrections[word] = fix
    query = Query(text, tuple(corrections.get(w, w) for w in typed), corrections)
    return Results(query, engine.matches(query), engine, known)
