"""How relevant a page is to a query: PostgreSQL's ts_rank, so both engines agree.

On PostgreSQL the database computes `ts_rank(WEIGHTS, vector, query)`. The in-process
engine (SQLite) computes the same number here, step by step as PostgreSQL's C code does
(src/backend/utils/adt/tsrank.c, calc_rank_or), in the same single-precision arithmetic,
so the two rank every page identically. tests/search checks them against each other.

For each query term found on a page: its occurrences, in page order (names first, body
last), each count their field's weight divided by the square of their place (1, 1/4,
1/9...), so a term in the name counts far more than many mentions in the body. Terms are
summed and the total divided by the number of query terms, so a page matching more of the
query ranks higher.
"""

from __future__ import annotations

from collections.abc import Sequence

from content.search.words import single

# Weights of D (body), C (summary, typical symptoms), B (search phrases), A (names), in
# PostgreSQL's order.
WEIGHTS = (0.05, 0.2, 0.5, 1.0)
LETTERS = "DCBA"
MAX_POSITIONS = 256  # a tsvector keeps at most this many positions of one term...
MAX_FIELD_POSITIONS = 255  # ...and to_tsvector at most this many from one field
_WEIGHTS = tuple(single(w) for w in WEIGHTS)
_PI_SQUARED_OVER_6 = 1.64493406685  # as written in tsrank.c


def occurrences(counts: Sequence[int]) -> list[int]:
    """The weight of each stored position of a term, in order, from how often it occurs
    in fields A, B, C and D, capped as PostgreSQL caps positions."""
    weights: list[int] = []
    for letter, count in zip("ABCD", counts, strict=True):
        weights += [LETTERS.index(letter)] * min(count, MAX_FIELD_POSITIONS)
    return weights[:MAX_POSITIONS]


def term_score(weights: Sequence[int]) -> float:
    """One query term's share of the rank, before the total is rounded and divided."""
    resj, wjm, jm = 0.0, -1.0, 0
    for place, weight_index in enumerate(weights):
        weight = _WEIGHTS[weight_index]
        resj = single(resj + single(weight / ((place + 1) * (place + 1))))
        if weight > wjm:
            wjm, jm = weight, place
    return single(single(wjm + resj) - single(wjm / ((jm + 1) * (jm + 1)))) / _PI_SQUARED_OVER_6


def add(total: float, score: float) -> float:
    return single(total + score)


def finish(total: float, query_terms: int) -> float:
    return single(total / query_terms) if query_terms else 0.0
