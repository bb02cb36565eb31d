"""No lost edits: every change made in the admin leaves a history row naming the editor, and
can be reverted from the admin's history page. Run over every model registered in the admin
with history, so a model added later is covered without a new test."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import skip_or_fail
from harness.wizard import as_dict
from tests.security.admin_forms import read_form

HISTORY_MODELS = sorted(
    (m for m in admin.site._registry if hasattr(m, "history")), key=lambda m: m._meta.label
)


def url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def editable_text_field(model: type[models.Model], form_kinds: dict[str, str]) -> models.Field:
    """A plain text field the change form shows (not a slug, URL or choice)."""
    for field in model._meta.get_fields():
        if (
            isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
            and not field.choices
            and form_kinds.get(field.name) in {"text", "textarea"}
        ):
            return field
    raise AssertionError(f"{model._meta.label}: no plain text field in the admin form")


def edited(value: str, field: models.Field) -> str:
    new = f"{value} Edited."
    limit = getattr(field, "max_length", None)
    return new if not limit or len(new) <= limit else f"{value[: limit - 8]} Edited."


def form_errors(html: str) -> str:
    return " | ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.DOTALL))


def test_the_admin_keeps_history_for_every_content_model() -> None:
    registered = [m for m in admin.site._registry if m._meta.app_label in {"content", "triage"}]
    if not registered:
        skip_or_fail("the content admin is not registered yet")
    assert [m._meta.label for m in registered if not hasattr(m, "history")] == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.label)
def test_an_admin_edit_leaves_history_and_can_be_reverted(
    model: type[models.Model], editor_client: Client, editor: User
) -> None:
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        skip_or_fail(f"no {model._meta.label} in the loaded content to edit")
    before = obj.history.count()  # type: ignore[attr-defined]
    original = obj.history.latest()  # type: ignore[attr-defined]

    form = read_form(editor_client.get(url(model, "change", obj.pk)).content.decode())
    field = editable_text_field(model, form.kinds)
    old_value = getattr(obj, field.name)
    new_value = edited(old_value, field)
    fields = [(n, new_value if n == field.name else v) for n, v in form.fields]
    fields = [(n, "Plainer words" if n == "change_reason" else v) for n, v in fields]
    response = editor_client.post(
        url(model, "change", obj.pk), as_dict([*fields, ("_save", "Save")])
    )
    assert response.status_code == 302, form_errors(response.content.decode())

    obj.refresh_from_db()
    assert getattr(obj, field.name) == new_value
    assert obj.history.count() > before  # type: ignore[attr-defined]
    latest = obj.history.latest()  # type: ignore[attr-defined]
    assert getattr(latest, field.name) == new_value
    assert latest.history_user == editor

    assert latest.history_change_reason == "Plainer words"

    # Revert through the admin: the history page's link to the original version, confirmed.
    revert_url = url(model, "simple_history", obj.pk, original.history_id)
    page = editor_client.get(revert_url)
    assert page.status_code == 200
    form = read_form(page.content.decode())
    fields = [(n, "Back as it was" if n == "change_reason" else v) for n, v in form.fields]
    response = editor_client.post(revert_url, as_dict(fields))
    assert response.status_code == 302, form_errors(response.content.decode())
    obj.refresh_from_db()
    assert getattr(obj, field.name) == old_value
    assert obj.history.latest().history_user == editor  # type: ignore[attr-defined]
    assert obj.history.count() >= before + 2  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize("model", HISTORY_MODELS, ids=lambda m: m._meta.label)
def test_an_object_deleted_in_the_admin_can_be_brought_back_from_history(
    model: type[models.Model], editor_client: Client
) -> None:
    obj = model._default_manager.order_by("-pk").first()
    if obj is None:
        skip_or_fail(f"no {model._meta.label} in the loaded content to delete")
    response = editor_client.post(url(model, "delete", obj.pk), {"post": "yes"})
    if model._default_manager.filter(pk=obj.pk).exists():
        # Refused: still referenced elsewhere (PROTECT), not allowed at all, or it would
        # make the checker unsafe (back to the object, with the reason).
        assert response.status_code in {200, 302, 403}
        if response.status_code == 302:
            page = editor_client.get(response["Location"]).content.decode()
            assert "Not deleted: this would make the symptom checker unsafe" in page
        return
    assert response.status_code == 302
    deleted = model.history.filter(id=obj.pk).latest()  # type: ignore[attr-defined]
    assert deleted.history_type == "-"
    deleted.instance.save()
    restored = model._default_manager.get(pk=obj.pk)
    for field in model._meta.concrete_fields:
        if field.name != "updated_at":
            assert getattr(restored, field.attname) == getattr(obj, field.attname), field.name
