"""Natural-key lookups (fixtures and backups name rows by slug or code, never by id),
remembered for the length of one bulk load.

Loading the fixtures or a backup resolves every reference by natural key: a query each,
thousands per load. Within one load a key always names the same row, and Django's
deserialisers only read the row's id, so `remembered()` keeps each row found.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)
_found: ContextVar[dict[tuple[type[models.Model], tuple[Any, ...]], Any] | None] = ContextVar(
    "natural_keys_found", default=None
)


def remember(model: type[models.Model], key: tuple[Any, ...], row: models.Model) -> None:
    """Within remembered(), `row` answers get_by_natural_key(*key) without a query (a bulk
    load reads each model's rows once up front)."""
    found = _found.get()
    if found is not None:
        found[(model, key)] = row


def related_paths(model: type[models.Model]) -> list[str]:
    """What to select_related so that reading a row's natural key, and those of the rows
    it refers to, needs no more queries: its foreign keys, and the foreign keys their
    natural keys go through in turn (a red flag's condition, named by its slug)."""
    paths = []
    for field in model._meta.concrete_fields:
        if field.many_to_one or field.one_to_one:
            paths.append(field.name)
            target = field.related_model
            manager = target._default_manager if isinstance(target, type) else None
            lookups = getattr(manager, "natural_key_lookups", ())
            paths += [
                f"{field.name}__{lookup.split('__')[0]}" for lookup in lookups if "__" in lookup
            ]
    return paths


@contextmanager
def remembered() -> Iterator[None]:
    """Within this block, each natural key is looked up in the database once."""
    token = _found.set({})
    try:
        yield
    finally:
        _found.reset(token)


class NaturalKeyManager(models.Manager[_M]):
    """`get_by_natural_key` from the lookups that make up the model's natural key."""

    natural_key_lookups: tuple[str, ...] = ("slug",)

    def get_by_natural_key(self, *key: Any) -> _M:
        lookup = dict(zip(self.natural_key_lookups, key, strict=True))
        found = _found.get()
        if found is None:
            return self.get(**lookup)
        remembered_key = (self.model, key)
        if remembered_key not in found:  # a miss is not remembered: the load may create it
            found[remembered_key] = self.get(**lookup)
        row: _M = found[remembered_key]
        return row
