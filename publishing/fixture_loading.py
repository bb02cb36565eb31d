"""Load the reviewed YAML fixtures without silently overwriting editors' changes.

Each fixture object is compared three ways: the fixture now, the database now, and what
load_content last wrote (content.FixtureRecord). Unchanged objects are skipped; objects
nobody edited since the last load are updated; objects an editor changed are reported as
conflicts and left alone unless `overwrite` is set.

Before the load commits, the checker's safety gate (triage/gate.py) runs on the loaded
content: a load that would leave the checker unsafe is refused and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.base import DeserializedObject
from django.db import models, transaction
from django.utils import timezone

from content import bulk, natural_keys, version
from content.history import record_now
from content.models import FixtureRecord
from content.search import index as search_index
from triage.gate import enforce

BASE = Path(settings.BASE_DIR)
# libyaml's parser when PyYAML has it (its wheels do): several times faster than Python's.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Referenced objects first: conditions point at sources, remedies, tests and symptoms;
# the checker's questions and rules point at symptoms and conditions.
FIXTURE_ORDER = [
    "content/fixtures/sources/*.yaml",
    "content/fixtures/symptoms.yaml",
    "content/fixtures/remedies.yaml",
    "content/fixtures/tests.yaml",
    "content/fixtures/signs.yaml",
    "content/fixtures/conditions/*.yaml",
    "triage/fixtures/steps.yaml",
    "triage/fixtures/questions.yaml",
    "triage/fixtures/rules.yaml",
]


def fixture_paths() -> list[Path]:
    paths: list[Path] = []
    for pattern in FIXTURE_ORDER:
        paths.extend(sorted(BASE.glob(pattern)))
    return paths


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _digest(fields: dict[str, Any]) -> str:
    # Many-to-many values (lists of natural keys) compare regardless of order.
    normal = {
        name: sorted(value, key=json.dumps) if _is_m2m(value) else value
        for name, value in fields.items()
    }
    text = json.dumps(normal, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _is_m2m(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], list)


def _db_fields(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The instance's fields as a natural-keyed fixture would write them."""
    data = serializers.serialize(
        "python", [instance], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )[0]["fields"]
    return {name: _plain(data.get(name)) for name in names}


def _plain(value: Any) -> Any:
    """Tuples to lists, as YAML gives them, so both sides compare equal."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def load_fixtures(paths: list[Path] | None = None, *, overwrite: bool = False) -> LoadReport:
    """Load the fixtures in one transaction. Raises ValueError (nothing changed) for a
    broken fixture, and triage.gate.UnsafeChange when the result would be unsafe."""
    report = LoadReport()
    paths = fixture_paths() if paths is None else paths
    # Many-to-many links send no `raw` flag: bulk.writing() keeps them from bumping the
    # version once each (the load bumps once at the end).
    with transaction.atomic(), natural_keys.remembered(), bulk.writing():
        saved: list[tuple[DeserializedObject, bool]] = []
        seen: dict[tuple[str, str], Path] = {}
        loaded = {(r.model, r.key): r for r in FixtureRecord.objects.all()}
        files = [
            (path, yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER) or [])
            for path in paths
        ]
        rows = _rows_now({m for _, records in files for r in records if (m := _model_of(r))})
        for path, records in files:
            for record in records:
                _check_unique(record, path, seen)
                saved += _load_record(record, path, report, overwrite, loaded, rows)
        for deserialized, _ in saved:
            try:
                if deserialized.deferred_fields:
                    deserialized.save_deferred_fields()
            except serializers.base.DeserializationError as error:
                raise ValueError(
                    f"A fixture refers to something that does not exist: {error}"
                ) from error
        # History once every link is in place, so each version holds its links too; one
        # moment for the whole load, so a condition's version includes its red flags.
        now = timezone.now()
        for deserialized, update in saved:
            obj = deserialized.object
            del obj.skip_history_when_saving  # type: ignore[attr-defined]  # simple-history's flag
            if hasattr(type(obj), "history"):
                record_now(obj, "load_content", "~" if update else "+", when=now)
        enforce(by="load_content")
        if report.created or report.updated or report.overwritten:
            # Raw saves send no bump or search refresh of their own (publishing/signals.py,
            # content/search/signals.py).
            search_index.rebuild()
            version.bump()
    return report


# The rows a load may update: (model label, natural key as JSON) -> the row.
Rows = dict[tuple[str, str], models.Model]


def _model_of(record: Any) -> type[models.Model] | None:
    """The model a fixture record names; None for a name the deserializer will report."""
    try:
        return apps.get_model(record["model"])
    except (LookupError, ValueError, TypeError, KeyError):
        return None


def _rows_now(fixture_models: set[type[models.Model]]) -> Rows:
    """Every row of the fixtures' models, one query per model rather than several per
    record, with the rows their natural keys name; remembered for the load's natural-key
    lookups too."""
    rows: Rows = {}
    for model in fixture_models:
        for row in model._default_manager.select_related(*natural_keys.related_paths(model)):
            key = row.natural_key()  # type: ignore[attr-defined]  # all fixture models have one
            rows[(model._meta.label, json.dumps(list(key)))] = row
            natural_keys.remember(model, tuple(key), row)
    return rows


def _natural_key_in(record: dict[str, Any], model: type[models.Model]) -> list[Any] | None:
    """The natural key a record's fields spell, read the way the model's manager looks it
    up (`condition__slug` is the one-part key in `condition`); None when they do not."""
    lookups = getattr(model._default_manager, "natural_key_lookups", None)
    fields = record.get("fields")
    if lookups is None or "pk" in record or not isinstance(fields, dict):
        return None
    key = []
    for lookup in lookups:
        name, _, through = lookup.partition("__")
        value = fields.get(name)
        if through:
            if not (isinstance(value, list) and len(value) == 1):
                return None
            value = value[0]
        if not isinstance(value, str):
            return None
        key.append(value)
    return key


def _show(path: Path) -> str:
    """A fixture path as people know it: relative to the repo when inside it."""
    return str(path.relative_to(BASE)) if path.is_relative_to(BASE) else str(path)


def _check_unique(record: dict[str, Any], path: Path, seen: dict[tuple[str, str], Path]) -> None:
    """Two fixture files defining the same object would overwrite each other on every load."""
    fields = record.get("fields", {})
    identity = {k: fields.get(k) for k in ("slug", "code", "condition", "question", "symptom")}
    key = (record.get("model", ""), json.dumps(identity, sort_keys=True, default=str))
    if key in seen:
        raise ValueError(
            f"{_show(path)} defines {record.get('model')} {identity} again; "
            f"it is already in {_show(seen[key])}."
        )
    seen[key] = path


def _load_record(
    record: dict[str, Any],
    path: Path,
    report: LoadReport,
    overwrite: bool,
    loaded: dict[tuple[str, str], FixtureRecord],
    rows: Rows,
) -> list[tuple[DeserializedObject, bool]]:
    """Save one fixture object if it should be; returns [(it, whether it existed)].
    `loaded`: what earlier loads wrote, by (model, natural key); `rows`: the database now."""
    named = _model_of(record)
    spelled = _natural_key_in(record, named) if named else None
    existing = rows.get((named._meta.label, json.dumps(spelled))) if named and spelled else None
    if existing is not None:  # its id, so the deserializer need not look the key up again
        record = {**record, "pk": existing.pk}
    try:
        (deserialized,) = serializers.deserialize(
            "python", [record], handle_forward_references=True
        )
    except serializers.base.DeserializationError as error:
        raise ValueError(f"{_show(path)}: {error}") from error
    instance = deserialized.object
    model = type(instance)
    if existing is None and instance.pk:  # a record whose fields do not spell its key
        related = natural_keys.related_paths(model)
        existing = model._default_manager.select_related(*related).filter(pk=instance.pk).first()
    natural_key = spelled or instance.natural_key()  # type: ignore[attr-defined]  # all fixture models have one
    label = f"{model._meta.label} {'/'.join(map(str, natural_key))}"
    key = json.dumps(list(natural_key))
    names = sorted(record["fields"])
    fixture_digest = _digest({n: _plain(record["fields"][n]) for n in names})
    stored = loaded.get((model._meta.label, key))

    if existing is not None:
        if _digest(_db_fields(existing, names)) == fixture_digest:
            report.unchanged += 1
            _remember(stored, model, key, fixture_digest, names)
            return []
        # Edited in the admin since the last load? Compare over the fields that load wrote,
        # so a field newly added to the fixture is not mistaken for an editor's change.
        loaded_names = json.loads(stored.fields) if stored and stored.fields else names
        edited = stored is None or stored.digest != _digest(_db_fields(existing, loaded_names))
        if edited and not overwrite:
            report.conflicts.append(f"{label} ({_show(path)})")
            return []
        (report.overwritten if edited else report.updated).append(label)
    else:
        if stored is not None and not overwrite:
            report.conflicts.append(f"{label} was deleted in the admin ({_show(path)})")
            return []
        report.created.append(label)

    # No history rows while its links are set one by one: load_fixtures writes one at the end.
    instance.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's flag
    deserialized.save()
    _remember(stored, model, key, fixture_digest, names)
    return [(deserialized, existing is not None)]


def _remember(
    stored: FixtureRecord | None,
    model: type[models.Model],
    key: str,
    digest: str,
    names: list[str],
) -> None:
    fields = json.dumps(names)
    if stored is None:
        FixtureRecord.objects.create(model=model._meta.label, key=key, digest=digest, fields=fields)
    elif (stored.digest, stored.fields) != (digest, fields):
        stored.digest, stored.fields = digest, fields
        stored.save(update_fields=["digest", "fields", "loaded_at"])
