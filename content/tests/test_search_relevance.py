"""The relevance table (search_relevance.yaml): for each query people type, the pages that
must come in the first three results. Runs on SQLite and, under DATABASE_URL, PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content.search import clean_query, search

pytestmark = pytest.mark.django_db
TABLE = yaml.safe_load((Path(__file__).parent / "search_relevance.yaml").read_text())


def test_the_table_holds_at_least_40_queries() -> None:
    assert len(TABLE) >= 40
    assert len({row["query"] for row in TABLE}) == len(TABLE)


@pytest.mark.parametrize("row", TABLE, ids=[row["query"] for row in TABLE])
def test_each_query_finds_its_pages_in_the_top_3(row: dict[str, object]) -> None:
    top3 = [d.slug for d in search(clean_query(str(row["query"]))).matches[:3]]
    missing = [slug for slug in row["top3"] if slug not in top3]  # type: ignore[attr-defined]
    assert not missing, f"{row['query']!r}: top 3 {top3}, missing {missing}"
