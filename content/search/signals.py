"""Refresh a page's search document when an editor saves or deletes what it is made of.

Raw saves (load_content, restore_content, loaddata) and bulk writes (content/bulk.py, a
restore's clearing) are skipped: those rebuild the whole index when they finish
(content/search/index.py).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from content import bulk
from content.models import Condition, ConditionSymptom, DiagnosticTest, RedFlag, Remedy, Symptom
from content.search import engines, index
from content.search.models import DocumentKind, SearchDocument

KINDS: dict[type[Model], str] = {
    Condition: DocumentKind.CONDITION,
    Remedy: DocumentKind.REMEDY,
    DiagnosticTest: DocumentKind.TEST,
}


def page_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or bulk.active():
        return
    if kwargs.get("signal") is post_delete:
        index.remove(KINDS[sender], [instance.pk])
    else:
        index.refresh(KINDS[sender], [instance.pk])


def part_changed(sender: type[Model], instance: RedFlag | ConditionSymptom, **kwargs: Any) -> None:
    """A red flag or typical symptom is part of its condition's page."""
    if not kwargs.get("raw") and not bulk.active():
        index.refresh_conditions([instance.condition_id])


def symptom_changed(sender: type[Model], instance: Symptom, **kwargs: Any) -> None:
    """A symptom's name is part of every page it is typical of."""
    if not kwargs.get("raw") and not bulk.active():
        ids = ConditionSymptom.objects.filter(symptom=instance).values_list(
            "condition_id", flat=True
        )
        index.refresh_conditions(list(ids))


def rebuild_after_migrate(sender: Any, **kwargs: Any) -> None:
    """A database migrated from before search, or restored by SQL, gets its index."""
    tables = connection.introspection.table_names()
    if kwargs.get("using", "default") == "default" and SearchDocument._meta.db_table in tables:
        index.rebuild()
        engines.MemoryEngine.forget()


def set_typo_threshold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """pg_trgm's `%` finds words at least this alike (content/search/engines.py)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                [str(engines.TYPO_SIMILARITY)],
            )


def connect() -> None:
    for model in KINDS:
        post_save.connect(page_changed, sender=model, dispatch_uid=f"search_{model.__name__}")
        post_delete.connect(page_changed, sender=model, dispatch_uid=f"search_del_{model.__name__}")
    for model in (RedFlag, ConditionSymptom):
        post_save.connect(part_changed, sender=model, dispatch_uid=f"search_{model.__name__}")
        post_delete.connect(part_changed, sender=model, dispatch_uid=f"search_del_{model.__name__}")
    post_save.connect(symptom_changed, sender=Symptom, dispatch_uid="search_symptom")
    connection_created.connect(set_typo_threshold, dispatch_uid="search_typo_threshold")
