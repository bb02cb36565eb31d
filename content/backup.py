"""Back up and restore all content: articles, symptoms, remedies, tests, sources and the
checker's steps, questions and rules (`manage.py backup_content` / `restore_content`).

A backup is Django's natural-key JSON, so it does not depend on database ids and restores
into any database with the same migrations. It holds no users and no history: the history
stays in the database through a restore, and the restore itself is recorded in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import F

from content.models import SiteVersion

APPS = ("content", "triage")


def backup_models() -> list[type[models.Model]]:
    """Content models in an order where everything a row refers to comes before it."""
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model is not SiteVersion
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)  # type: ignore[list-item]


def _objects() -> Iterator[models.Model]:
    for model in backup_models():
        yield from model._default_manager.order_by("pk").iterator()


def write_backup(stream: IO[str]) -> int:
    """Write every content object to `stream`; returns how many.

    Django's "python" serialisation, written with full-precision times (its JSON encoder
    would cut microseconds), so a restore gives back exactly what was there.
    """
    records = serializers.serialize(
        "python", list(_objects()), use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    json.dump(records, stream, default=str, indent=1, ensure_ascii=False)
    stream.write("\n")
    return len(records)


class BackupError(ValueError):
    """The file is not a content backup this site can restore."""


def _check(text: str) -> None:
    try:
        records = json.loads(text)
    except ValueError as error:
        raise BackupError(f"not a JSON backup: {error}") from error
    allowed = {model._meta.label_lower for model in backup_models()}
    if not isinstance(records, list) or not records:
        raise BackupError("the backup holds no content")
    unknown = {str(r.get("model")) for r in records if isinstance(r, dict)} - allowed
    if unknown or not all(isinstance(r, dict) for r in records):
        raise BackupError(f"the backup holds things that are not content: {sorted(unknown)}")


def restore_backup(text: str) -> int:
    """Replace all content with the backup's, in one transaction. Returns how many objects.

    Nothing is deleted unless the whole backup loads: any error rolls everything back.
    """
    _check(text)
    restored: list[models.Model] = []
    with transaction.atomic():
        for model in reversed(backup_models()):
            # Children first, so PROTECT foreign keys never block the clearing.
            model._default_manager.all().delete()
        deferred = []
        try:
            items = serializers.deserialize(
                "python", json.loads(text), handle_forward_references=True
            )
            for item in items:
                item.save()
                restored.append(item.object)
                if item.deferred_fields:
                    deferred.append(item)
            for item in deferred:
                item.save_deferred_fields()
        except Exception as error:  # any failure: roll back, say why
            raise BackupError(f"the backup could not be restored: {error}") from error
        _reset_sequences()
        _record_history(restored)
        # Raw saves do not bump the content version (content/signals.py): bump it once, so
        # every server drops its cached pages and checker rules.
        SiteVersion.objects.get_or_create(pk=1)
        SiteVersion.objects.filter(pk=1).update(number=F("number") + 1)
    return len(restored)


def _reset_sequences() -> None:
    """Rows restored with explicit ids must not collide with the next new row (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _record_history(objects: list[models.Model]) -> None:
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, items in by_model.items():
        if hasattr(model, "history"):
            fresh = list(model._default_manager.filter(pk__in=[o.pk for o in items]))
            model.history.bulk_history_create(fresh, default_change_reason="restore_content")


def snapshot() -> list[dict[str, Any]]:
    """All content as natural-keyed records, in a stable order: two databases hold the same
    content exactly when their snapshots are equal."""
    records = serializers.serialize(
        "python", list(_objects()), use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    normal = json.loads(json.dumps(records, default=str, sort_keys=True))
    for record in normal:
        for name, value in record["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], list):
                record["fields"][name] = sorted(value)  # many-to-many: order is not content
    return sorted(normal, key=lambda r: json.dumps(r, sort_keys=True))
