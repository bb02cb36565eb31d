"""Back up and restore all content: articles, symptoms, remedies, tests, sources and the
checker's steps, questions and rules (`manage.py backup_content` / `restore_content`).

A backup is what `dumpdata --natural-foreign` writes: every object with its id, referring
to others by natural key. It holds no users and no history: the history stays in the
database through a restore (objects keep their ids, so it stays attached), and the restore
itself is recorded in it. A restore is validated as a whole before it commits: the file,
its completeness, every object's own rules and the checker's safety gate (triage/gate.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from content import bulk, natural_keys, version
from content.history import record_now
from content.models import SiteVersion
from content.search import index as search_index
from content.search.models import SearchDocument, SearchPhrase, SearchWord
from triage.gate import UnsafeChange, enforce

APPS = ("content", "triage")
# Not backed up: the content version, and the search index, which is rebuilt from the rest.
DERIVED = {SiteVersion, SearchDocument, SearchPhrase, SearchWord}


def backup_models() -> list[type[models.Model]]:
    """Content models in an order where everything a row refers to comes before it."""
    chosen = [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model not in DERIVED
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def _objects() -> Iterator[models.Model]:
    """Every content object, with the rows its natural-key references name fetched in the
    same query (select_related, prefetch_related): serialising asks each reference for its
    natural key, which was a query per reference, 5,000 of them per backup."""
    for model in backup_models():
        rows = model._default_manager.order_by("pk")
        yield from rows.select_related(*natural_keys.related_paths(model)).prefetch_related(
            *(field.name for field in model._meta.many_to_many)
        )


def write_backup(stream: IO[str]) -> int:
    """Write every content object to `stream`; returns how many.

    Django's own serialisation, as `dumpdata --natural-foreign` writes it: objects keep their
    ids (so their admin history stays attached after a restore) and refer to each other by
    natural key. Written with full-precision times (Django's JSON encoder would cut
    microseconds), so a restore gives back exactly what was there; `loaddata` reads it too.
    """
    records = serializers.serialize("python", list(_objects()), use_natural_foreign_keys=True)
    json.dump(records, stream, default=str, indent=1, ensure_ascii=False)
    stream.write("\n")
    return len(records)


class BackupError(ValueError):
    """The file is not a content backup this site can restore, or restoring it was refused."""


def _parse(data: bytes | str) -> list[dict[str, Any]]:
    """The backup's records, or a one-line BackupError saying what is wrong with the file."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BackupError(
                f"the file is not UTF-8 text (byte {error.start} is not valid); "
                "backup_content writes UTF-8 JSON"
            ) from None
    try:
        records = json.loads(data)
    except ValueError as error:
        raise BackupError(f"not a JSON backup: {error}") from None
    if not isinstance(records, list) or not records:
        raise BackupError("the backup holds no content")
    if not all(isinstance(r, dict) and isinstance(r.get("fields"), dict) for r in records):
        raise BackupError("the backup's objects must each have a model and fields")
    allowed = {model._meta.label_lower for model in backup_models()}
    if unknown := {str(r.get("model")) for r in records} - allowed:
        raise BackupError(f"the backup holds things that are not content: {sorted(unknown)}")
    return records


def _check_complete(records: list[dict[str, Any]]) -> None:
    """A full restore replaces everything: refuse a backup without some kind of content."""
    present = {r["model"] for r in records}
    missing = [
        model._meta.verbose_name_plural
        for model in backup_models()
        if model._meta.label_lower not in present and model._default_manager.exists()
    ]
    if missing:
        raise BackupError(
            "the backup has no "
            + ", ".join(str(name) for name in missing)
            + ", so restoring it would delete them all; restore it with --partial to "
            "change only the objects it holds"
        )


def _invalid(obj: models.Model, exclude: list[str]) -> str:
    """Why the object fails its model's validation ("" if it does not)."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        fields = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in error.message_dict.items())
        return f"{obj._meta.verbose_name} '{obj}': {fields}"
    return ""


def restore_backup(data: bytes | str, *, partial: bool = False) -> int:
    """Replace all content with the backup's (or, if `partial`, only the objects it holds),
    in one transaction. Returns how many objects were restored.

    Every object is validated (its model's rules, then the checker's safety gate on the
    result) before anything commits; any failure raises BackupError and changes nothing.
    """
    records = _parse(data)
    if not partial:
        _check_complete(records)
    restored: list[models.Model] = []
    # One version bump and one search rebuild at the end, not one per row deleted or linked.
    with transaction.atomic(), natural_keys.remembered(), bulk.writing():
        if not partial:
            for model in reversed(backup_models()):
                # Children first, so PROTECT foreign keys never block the clearing.
                model._default_manager.all().delete()
        deferred, invalid = [], []
        try:
            items = serializers.deserialize("python", records, handle_forward_references=True)
            for item in items:
                deferred_names = [f.name for f in item.deferred_fields or ()]
                if problem := _invalid(item.object, deferred_names):
                    invalid.append(problem)  # saved anyway, so later references resolve
                # One row each, at the end. (simple-history's flag: unknown to django-stubs.)
                item.object.skip_history_when_saving = True  # type: ignore[attr-defined]
                item.save()
                restored.append(item.object)
                if item.deferred_fields:
                    deferred.append(item)
            for item in deferred:
                item.save_deferred_fields()
        except Exception as error:  # any failure: roll back, say why
            raise BackupError(f"the backup could not be restored: {_one_line(error)}") from error
        if invalid:
            more = f" (and {len(invalid) - 3} more)" if len(invalid) > 3 else ""
            raise BackupError(
                f"{len(invalid)} objects are not valid: {'; '.join(invalid[:3])}{more}"
            )
        try:
            enforce(by="restore_content")
        except UnsafeChange as refusal:
            raise BackupError(
                "the backup would leave the symptom checker unsafe: " + " ".join(refusal.problems)
            ) from refusal
        _reset_sequences()
        now = timezone.now()
        for obj in restored:
            del obj.skip_history_when_saving  # type: ignore[attr-defined]  # simple-history's flag
            if hasattr(type(obj), "history"):
                record_now(obj, "restore_content", when=now)
        # Raw saves send no bump or search refresh of their own (publishing/signals.py,
        # content/search/signals.py): bump once, so every server drops its cached pages and
        # checker rules, and index the restored pages.
        search_index.rebuild()
        version.bump()
    return len(restored)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _reset_sequences() -> None:
    """Rows restored with explicit ids must not collide with the next new row (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


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
