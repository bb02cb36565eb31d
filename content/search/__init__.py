"""Search: one function, `search(text)`, ranked the same on PostgreSQL and SQLite.

- words.py: words to terms (stems), trigrams and typo distance, shared by both engines
- query.py: what was typed, made safe, and the query's terms and phrases
- models.py, index.py, signals.py: the index tables and what keeps them in step
- ranking.py: ts_rank, as PostgreSQL computes it
- engines.py: PostgreSQL's full-text search, and the in-process index SQLite uses
- around.py: the 999 card, the checker offer, and why each page matched
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content.search import around, engines, words
from content.search.models import SearchDocument
from content.search.query import MAX_QUERY_LENGTH, Query, clean_query, query_words

__all__ = ["MAX_QUERY_LENGTH", "Results", "clean_query", "search"]

SUGGESTION_SIMILARITY = 0.3  # "did you mean" reaches further than silent correction


@dataclass
class Results:
    query: Query
    matches: engines.Matches
    emergency_signs: list[around.Sign] = field(default_factory=list)
    names_symptoms: bool = False
    suggestion: str = ""  # "did you mean", when nothing was found

    def why(self, document: SearchDocument) -> around.Why | None:
        return around.why(document, self.query)


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
    matches = engine.matches(query)
    results = Results(
        query,
        matches,
        emergency_signs=around.emergency_signs(query),
        names_symptoms=around.names_symptoms(query),
    )
    if typed and not len(matches):
        results.suggestion = suggest(engine, typed, known)
    return results


def suggest(engine: engines.Engine, typed: list[str], known: set[str]) -> str:
    """Each unknown word replaced by the most alike word on the site, if any is alike."""
    suggested = []
    for word in typed:
        alike = [] if word in known else [(words.similarity(word, w), w) for w in engine.near(word)]
        best = max(alike, default=(0.0, word))
        suggested.append(best[1] if best[0] >= SUGGESTION_SIMILARITY else word)
    return " ".join(suggested) if suggested != typed else ""
