"""The search index's tables: one document per published page section a person can land on
(a condition, a self-care tip, a test), the names and phrases that match a page whole, and
the words typos are corrected to.

Written only by content/search/index.py, from the content models; never edited by hand.
On PostgreSQL `vector` holds the weighted tsvector (GIN-indexed) and `SearchWord.word` a
trigram index (both made by migration 0008); on SQLite the engine reads these rows into an
in-process index instead (content/search/engines.py).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class DocumentKind(models.TextChoices):
    CONDITION = "condition", "Condition"
    REMEDY = "remedy", "Self-care"
    TEST = "test", "Test a doctor may do"


class SearchDocument(models.Model):
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    source_id = models.PositiveIntegerField(help_text="The primary key of what it indexes.")
    slug = models.SlugField()
    title = models.CharField(max_length=250)
    url = models.CharField(max_length=300)
    summary = models.CharField(max_length=250)
    seriousness = models.CharField(max_length=20, blank=True, help_text="Conditions only.")
    also_called = models.TextField(blank=True, help_text="Other names, one a line.")
    phrases = models.TextField(blank=True, help_text="Common search phrases, one a line.")
    body = models.TextField(blank=True, help_text="The page's text, for showing why it matched.")
    # Terms (content/search/words.py) by weight: A names, B search phrases, C summary and
    # typical symptoms, D the body.
    terms_a = models.TextField(blank=True)
    terms_b = models.TextField(blank=True)
    terms_c = models.TextField(blank=True)
    terms_d = models.TextField(blank=True)
    vector = SearchVectorField(null=True, help_text="PostgreSQL only: terms_a-d, weighted.")
    # Set on each result by the engines: 2 if the query is one of the page's names or
    # phrases, 1 if it holds one, else 0; and ts_rank (content/search/ranking.py).
    tier: int
    rank: float

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="unique_search_document")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class SearchPhrase(models.Model):
    """A name, other name or search phrase of a document, as terms: a query that is one
    (or holds one) ranks that document first."""

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="phrase_terms"
    )
    terms = models.CharField(max_length=250, db_index=True)

    def __str__(self) -> str:
        return self.terms


class SearchWord(models.Model):
    """A word that appears on the site, and its stem: what a misspelt word is corrected to."""

    word = models.CharField(max_length=60, unique=True)
    stem = models.CharField(max_length=60, db_index=True)

    def __str__(self) -> str:
        return self.word
