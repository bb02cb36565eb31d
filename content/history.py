"""History helpers on top of django-simple-history.

- `record_now` writes a history row for an object saved raw (fixture loading, restores),
  with its many-to-many links, which simple-history's bulk_history_create leaves out.
- `revert` brings an object back to one of its versions as a whole: its fields, its
  many-to-many links (sources, remedies, related pages, a rule's findings) and its inline
  children (red flags, typical symptoms, question options), deleting children added since
  and bringing back those deleted since. The caller runs it inside a transaction.

One edit, one history row for the object, written last: the admin (content/admin_guard.py),
a revert, `load_content` and `restore_content` save the object and its links without
history (`skip_history_when_saving`, or raw saves), save its inline children, then call
`record_now`. So a version of an object is its row plus its children's rows up to the same
moment, which is what `children_then` reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone
from simple_history.utils import get_history_manager_for_model

User = AbstractBaseUser | AnonymousUser | None


def _m2m_fields(history_model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    return list(getattr(history_model, "_history_m2m_fields", []))


def record_now(
    instance: models.Model,
    reason: str,
    history_type: str = "~",
    *,
    user: User = None,
    when: datetime.datetime | None = None,
) -> None:
    """A history row for `instance` as the database holds it now, links included."""
    history_model = get_history_manager_for_model(type(instance)).model
    row = history_model.objects.create(
        history_date=when or timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
        history_user=user if getattr(user, "is_authenticated", False) else None,
        **{f.attname: getattr(instance, f.attname) for f in history_model.tracked_fields},
    )
    for field in _m2m_fields(history_model):
        rows = getattr(row, field.name).model
        through = field.remote_field.through
        assert through is not None  # Django sets it on every many-to-many field
        links = through._default_manager.filter(**{field.m2m_field_name(): instance.pk})
        rows.objects.bulk_create(
            rows(history=row, **{f.attname: getattr(link, f.attname) for f in through._meta.fields})
            for link in links
        )


def linked_ids(record: Any, field: models.ManyToManyField[Any, Any]) -> set[Any]:
    """The ids a many-to-many field pointed at in one history row."""
    return set(getattr(record, field.name).values_list(field.m2m_reverse_field_name(), flat=True))


def _restore(record: Any, reason: str, user: User) -> models.Model:
    """Save the object as this history row has it, set its many-to-many links, and write
    one history row for the result."""
    obj: models.Model = record.instance
    # simple-history's flags are set on the instance; django-stubs cannot know them.
    obj.skip_history_when_saving = True  # type: ignore[attr-defined]
    obj.save()
    for field in _m2m_fields(type(record)):
        ids = linked_ids(record, field)
        manager = getattr(obj, field.name)
        if set(manager.values_list("pk", flat=True)) != ids:
            manager.set(ids)
    del obj.skip_history_when_saving  # type: ignore[attr-defined]
    record_now(obj, reason, user=user)
    return obj


def children_then(
    model: type[models.Model], fk: str, parent_pk: Any, until: datetime.datetime
) -> dict[Any, Any]:
    """The history row each child of the parent had at `until` (a version of the parent:
    its children's rows are written before or with it), by child id; children deleted by
    then are left out."""
    history = get_history_manager_for_model(model)
    rows = history.filter(**{f"{fk}_id": parent_pk}, history_date__lte=until).order_by(
        "history_date", "history_id"
    )
    latest: dict[Any, Any] = {}
    for row in rows:
        latest[row.id] = row
    # A child may have moved to another parent later on; its own latest row decides.
    return {pk: row for pk, row in latest.items() if row.history_type != "-"}


def revert(
    record: Any,
    children: Iterable[tuple[type[models.Model], str]],
    reason: str,
    user: User,
) -> models.Model:
    """Make the object, its links and its inline children what they were in `record`."""
    until = record.history_date
    parent = record.instance
    for model, fk in children:
        then = children_then(model, fk, parent.pk, until)
        for child in model._default_manager.filter(**{fk: parent.pk}):
            if child.pk not in then:
                # What simple-history writes on the deletion's history row.
                child._change_reason = reason  # type: ignore[attr-defined]
                child._history_user = user  # type: ignore[attr-defined]
                child.delete()
        for row in then.values():
            _restore(row, reason, user)
    return _restore(record, reason, user)
