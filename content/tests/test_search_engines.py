"""PostgreSQL's full-text search and the in-process engine (SQLite's) give the same pages in
the same order with the same ranks, and correct the same typos. Defined only when the suite
runs on PostgreSQL, where both engines can read the same index."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.db import connection

from content.search import clean_query, engines, search, words
from content.search.models import SearchWord

pytestmark = pytest.mark.django_db
TABLE = yaml.safe_load((Path(__file__).parent / "search_relevance.yaml").read_text())
MORE = ["leg", "pain", "cramp at night calf pain muscle twitch weakness", "qqxyzzy", "crmap",
        "numb feet and hands tingling", "twitchinggggg", "blood"]  # fmt: skip
QUERIES = [row["query"] for row in TABLE] + MORE

if connection.vendor == "postgresql":

    @pytest.mark.parametrize("query", QUERIES)
    def test_both_engines_rank_alike(query: str) -> None:
        text = clean_query(query)
        sql = search(text, engines.PostgresEngine())
        memory = search(text, engines.MemoryEngine())
        assert sql.query == memory.query  # the same typos corrected
        assert sql.suggestion == memory.suggestion
        ranked = [(d.slug, d.kind, d.tier, words.single(d.rank)) for d in sql.matches]
        assert ranked == [(d.slug, d.kind, d.tier, d.rank) for d in memory.matches]

    def test_trigram_similarity_is_pg_trgms() -> None:
        sample = list(SearchWord.objects.order_by("word").values_list("word", flat=True)[::40])
        with connection.cursor() as cursor:
            for word in ["twiching", "crmap", "restles", "fasiculatons"]:
                cursor.execute(
                    "SELECT word, similarity(word, %s) FROM content_searchword"
                    " WHERE word = ANY(%s)",
                    [word, sample],
                )
                for other, expected in cursor.fetchall():
                    assert words.similarity(word, other) == words.single(expected)
