"""`GuardedAdmin`: the admin base for every model the checker or its safety rules read.

Every save, delete and revert made through it:
- is refused, with the person's input kept on the page, when it would make the checker
  unsafe (triage/gate.py: the safety rules and the reference cases, run inside the same
  transaction on the would-be knowledge);
- is refused when someone else saved the object since the form was opened (optimistic
  concurrency: the form carries the object's latest history id);
- needs the Clinical safety group and a change reason when it changes the checker's
  knowledge (every field of a checker model; the profile of a condition), and keeps both
  in the history.

A revert (the history page's versions) brings back the whole object: its fields, its
many-to-many links and its inline children (content/history.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet, _get_foreign_key
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from content.edit_check import EditRefused, check_edit
from content.history import children_then, linked_ids, record_now, revert

if TYPE_CHECKING:
    # simple-history ships no types: check its admin as the ModelAdmin it extends.
    from django.contrib.admin import ModelAdmin

    SimpleHistoryAdmin = ModelAdmin[Any]
else:
    from simple_history.admin import SimpleHistoryAdmin

REASON_FIELD = "change_reason"
VERSION_FIELD = "edit_version"
GUARD_FIELDS = (REASON_FIELD, VERSION_FIELD)


def latest_version(obj: models.Model | None) -> str:
    """The id of the object's newest history row: it changes on every save, by any path."""
    if obj is None or obj.pk is None:
        return ""
    # `history`: simple-history's manager on every tracked model, unknown to django-stubs.
    newest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()  # type: ignore[attr-defined]
    return str(newest or "")


class Refused(EditRefused):
    """A refusal that belongs to one field of the form (the change reason)."""

    def __init__(self, problems: list[str], field: str | None = None) -> None:
        super().__init__(problems)
        self.field = field


class GuardedAdmin(SimpleHistoryAdmin):
    # Form fields that change the checker's knowledge; None: every field does.
    knowledge_fields: tuple[str, ...] | None = None
    # Inline models whose rows are the checker's knowledge (a condition's typical symptoms).
    knowledge_inlines: tuple[type[models.Model], ...] = ()
    # The permission that marks a member of the Clinical safety group.
    knowledge_permission = settings.CLINICAL_SAFETY_PERMISSION

    # ----- the form: change reason, version, refusals -----

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        # The guard's own fields are not the model's: keep them out of the ModelForm's list.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:
            kwargs["fields"] = [f for f in kwargs["fields"] if f not in GUARD_FIELDS]
        base = super().get_form(request, obj, change, **kwargs)
        refusal: Refused | None = getattr(request, "_refusal", None)
        version = latest_version(obj)
        admin_self = self

        # mypy takes no base class made at run time (the admin's ModelForm for this model).
        class GuardedForm(base):  # type: ignore[valid-type, misc]
            change_reason = forms.CharField(
                required=False,
                max_length=100,
                label="Change reason",
                help_text="Why you made this change. Required for changes to the checker; "
                "kept in the history with your name.",
            )
            edit_version = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=version
            )

            def clean(self) -> dict[str, Any]:
                data: dict[str, Any] = super().clean()
                for name, value in data.items():
                    # Browsers send textarea lines as CRLF; the fixtures (and Markdown) use LF,
                    # so an untouched text would otherwise differ from its reviewed version.
                    if isinstance(value, str):
                        data[name] = value.replace("\r\n", "\n")
                posted = (self.data.get(VERSION_FIELD) or "").strip()
                if obj is not None and posted != version:
                    raise ValidationError(admin_self.stale_message(request, obj))
                if refusal is not None:
                    if refusal.field:
                        self.add_error(refusal.field, refusal.problems)
                    else:
                        raise ValidationError(refusal.problems)
                return data

        return GuardedForm

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options["fields"] if f not in GUARD_FIELDS]
            fieldsets.append((name, {**options, "fields": fields}))
        if obj is not None and not self.has_change_permission(request, obj):
            return fieldsets  # a read-only view: nothing to explain
        return [*fieldsets, ("About this change", {"fields": list(GUARD_FIELDS)})]

    def stale_message(self, request: HttpRequest, obj: models.Model) -> str:
        # `history`: simple-history's manager, unknown to django-stubs (as in latest_version).
        newest = obj.history.order_by("-history_id").first()  # type: ignore[attr-defined]
        who = f" by {newest.history_user}" if newest and newest.history_user else ""
        when = f" at {newest.history_date:%H:%M on %d %b %Y}" if newest else ""
        url = self.admin_url("change", obj.pk)
        return format_html(
            "Not saved: this {} was changed{}{} after you opened it, and saving would "
            'wipe out that change. <a href="{}">Open the newer version</a>, then make your '
            "change again (your text is still below to copy).",
            obj._meta.verbose_name,
            who,
            when,
            url,
        )

    def admin_url(self, view: str, pk: Any) -> str:
        """This model's admin page `view` ("change", "history") for one object."""
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk])

    def is_clinical(self, request: HttpRequest) -> bool:
        return request.user.has_perm(self.knowledge_permission)

    # ----- saving -----

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # One history row per edit, written in save_related once the links and inline
        # parts are saved, so each version holds all of them (content/history.py).
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            inline_form.instance._change_reason = form.cleaned_data.get(REASON_FIELD, "")
            inline_form.instance._history_user = request.user
        super().save_formset(request, form, formset, change)

    def changes_knowledge(
        self, form: Any, formsets: list[BaseInlineFormSet[Any, Any, Any]]
    ) -> bool:
        if self.knowledge_fields is None:
            edited = set(form.changed_data) - set(GUARD_FIELDS)
            return bool(edited) or any(f.has_changed() for f in formsets)
        return bool(set(form.changed_data) & set(self.knowledge_fields)) or any(
            f.has_changed() for f in formsets if f.model in self.knowledge_inlines
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if hasattr(obj, "skip_history_when_saving"):
            del obj.skip_history_when_saving
        reason = form.cleaned_data.get(REASON_FIELD, "")
        record_now(obj, reason, "~" if change else "+", user=request.user)
        if self.changes_knowledge(form, formsets):
            if not self.is_clinical(request):
                raise Refused(
                    [
                        "Only the Clinical safety group may change what the checker asks "
                        "and answers. Nothing was saved."
                    ]
                )
            if not form.cleaned_data.get(REASON_FIELD, "").strip():
                raise Refused(
                    [
                        "Say why you made this change: every change to the checker is kept "
                        "in the history with who made it and why."
                    ],
                    field=REASON_FIELD,
                )
        check_edit(by=str(request.user))

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except EditRefused as refusal:
            # Nothing was kept. Show the form again with the person's input and the reasons;
            # the form refuses this time (get_form), so nothing is saved on this pass either.
            # Read back by get_form (with getattr): not an attribute HttpRequest declares.
            request._refusal = (  # type: ignore[attr-defined]
                refusal if isinstance(refusal, Refused) else Refused(_refused(refusal.problems))
            )
            return super().changeform_view(request, object_id, form_url, extra_context)

    # ----- deleting -----

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        check_edit(by=str(request.user))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        check_edit(by=str(request.user))

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except EditRefused as refusal:
            self.message_user(request, _one_line("Not deleted", refusal), messages.ERROR)
            return HttpResponseRedirect(self.admin_url("change", object_id))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().changelist_view(request, extra_context)
        except EditRefused as refusal:
            self.message_user(request, _one_line("Nothing was deleted", refusal), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    # ----- reverting a whole version -----

    def inline_children(self) -> list[tuple[type[models.Model], str]]:
        """(child model, name of its key to this model) for each inline."""
        return [
            (
                inline.model,
                _get_foreign_key(self.model, inline.model, inline.fk_name, can_fail=False).name,
            )
            for inline in self.inlines
        ]

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Revert the object to this version, as a whole, after a confirmation page."""
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(obj.history, history_id=version_id)
        knowledge = self.revert_changes_knowledge(obj, record)
        errors: list[str] = []
        reason = ""
        if request.method == "POST":
            reason = (request.POST.get(REASON_FIELD) or "").strip()[:100]
            if knowledge and not self.is_clinical(request):
                errors.append(
                    "This version has other answers for the symptom checker: only the "
                    "Clinical safety group may bring it back."
                )
            elif knowledge and not reason:
                errors.append("Say why you are reverting: the history keeps who and why.")
            else:
                label = f"Reverted to the version of {record.history_date:%d %b %Y %H:%M}"
                try:
                    with transaction.atomic():
                        revert(record, self.inline_children(), reason or label, request.user)
                        check_edit(by=str(request.user))
                except EditRefused as refusal:
                    errors += _refused(refusal.problems)
                else:
                    obj.refresh_from_db()
                    self.log_change(request, obj, label)
                    self.message_user(request, f"{label}: {obj}.", messages.SUCCESS)
                    return HttpResponseRedirect(self.admin_url("change", obj.pk))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Revert {obj}",
            "opts": self.model._meta,
            "original": obj,
            "record": record,
            "changes": self.revert_changes(obj, record),
            "errors": errors,
            "reason": reason,
            "reason_required": knowledge,
            "history_url": self.admin_url("history", obj.pk),
        }
        return TemplateResponse(
            request, "admin/whole_revert.html", context, status=400 if errors else 200
        )

    def children_then_and_now(
        self, obj: models.Model, record: Any
    ) -> list[tuple[type[models.Model], dict[Any, Any], dict[Any, Any]]]:
        """For each inline: its rows as of the version `record` and as they are now, by id."""
        found = []
        for model, fk in self.inline_children():
            rows = children_then(model, fk, obj.pk, record.history_date)
            then = {pk: row.instance for pk, row in rows.items()}
            now = {child.pk: child for child in model._default_manager.filter(**{fk: obj.pk})}
            found.append((model, then, now))
        return found

    def revert_changes_knowledge(self, obj: models.Model, record: Any) -> bool:
        """Whether reverting to `record` would change what the checker knows."""
        if self.knowledge_fields is None:
            return True
        old = record.instance
        for name in self.knowledge_fields:
            field = obj._meta.get_field(name)
            assert isinstance(field, models.Field)  # the model's own fields, not reverse ones
            if isinstance(field, models.ManyToManyField):
                linked = set(getattr(obj, name).values_list("pk", flat=True))
                tracked = field in getattr(type(record), "_history_m2m_fields", [])
                if tracked and linked_ids(record, field) != linked:
                    return True
            elif getattr(old, field.attname) != getattr(obj, field.attname):
                return True
        for model, then, now in self.children_then_and_now(obj, record):
            if model not in self.knowledge_inlines:
                continue
            if then.keys() != now.keys() or any(_differs(then[pk], now[pk]) for pk in now):
                return True
        return False

    def revert_changes(self, obj: models.Model, record: Any) -> list[str]:
        """What the revert will change, in words, for the confirmation page."""
        changes = []
        old = record.instance
        for field in obj._meta.concrete_fields:
            if field.name in {"updated_at"} or not field.editable:
                continue
            then, now = getattr(old, field.attname), getattr(obj, field.attname)
            if isinstance(then, str) and isinstance(now, str):
                then, now = then.strip(), now.strip()  # the admin strips a final newline
            if then != now:
                then = Truncator(str(getattr(old, field.name))).chars(200)
                changes.append(f"{field.verbose_name.capitalize()}: back to “{then}”")
        for field in getattr(type(record), "_history_m2m_fields", []):
            then = linked_ids(record, field)
            now = set(getattr(obj, field.name).values_list("pk", flat=True))
            if then != now:
                changes.append(
                    f"{field.verbose_name.capitalize()}: {len(then - now)} brought back, "
                    f"{len(now - then)} removed"
                )
        for model, then, now in self.children_then_and_now(obj, record):
            counts = {
                "changed back": sum(_differs(then[pk], now[pk]) for pk in then.keys() & now.keys()),
                "brought back": len(then.keys() - now.keys()),
                "removed": len(now.keys() - then.keys()),
            }
            if any(counts.values()):
                said = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
                changes.append(f"{str(model._meta.verbose_name_plural).capitalize()}: {said}")
        return changes


def _differs(a: models.Model, b: models.Model) -> bool:
    return any(getattr(a, f.attname) != getattr(b, f.attname) for f in a._meta.concrete_fields)


def _refused(problems: list[str]) -> list[str]:
    return [
        "Not saved: this change would make the symptom checker unsafe. Nothing was changed.",
        *problems,
    ]


def _one_line(prefix: str, refusal: EditRefused) -> str:
    return f"{prefix}: this would make the symptom checker unsafe. " + " ".join(refusal.problems)
