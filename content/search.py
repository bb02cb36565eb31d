"""What a person typed into search, made safe and split into words (content/models.py's
QuerySet.search methods use these)."""

from __future__ import annotations

import re

from django.db.models import Q

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8


def clean_query(raw: str) -> str:
    """The search text a person typed, made safe: printable characters only (no NUL,
    which PostgreSQL refuses), single spaces, at most MAX_QUERY_LENGTH characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search_terms(query: str) -> list[str]:
    """The query's distinct words, at most MAX_QUERY_TERMS of them."""
    words = [w for w in re.split(r"[\s,]+", query) if w]
    return list(dict.fromkeys(words))[:MAX_QUERY_TERMS]


def any_field(fields: list[str], term: str) -> Q:
    """Matches rows where any of `fields` contains `term` (any case)."""
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__icontains": term})
    return query
