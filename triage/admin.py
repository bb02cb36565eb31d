"""The editors' admin for the checker: pages, questions with their options, and the
combination rules. Every change is kept in the history (django-simple-history).

Safety: a rule from the clinical brief (triage/fixtures/rules.yaml) may be made broader or
more urgent, never narrower, less urgent, switched off, renamed or deleted. Every save also
passes the gate (content/admin_guard.py): the safety rules and the reference cases, a change
reason, and a check that nobody else saved the object in between.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from content.admin_guard import GuardedAdmin
from triage.engine import rank
from triage.models import CombinationRule, Option, Question, Step
from triage.safety import SETS as _SETS
from triage.safety import brief_rules, narrows


def _codes(value: Any) -> set[str]:
    return {symptom.code for symptom in value or []}


class CombinationRuleForm(forms.ModelForm[CombinationRule]):
    class Meta:
        model = CombinationRule
        fields = "__all__"  # noqa: DJ007 - the admin shows every editable field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sets = {name: _codes(data.get(name)) for name in _SETS}
        if not sets["all_of"] and not sets["any_of"]:
            raise forms.ValidationError(
                "A rule needs at least one finding in 'all of' or 'any of'. "
                "Without one it would match every person."
            )
        if len(sets["two_of"]) == 1:
            self.add_error("two_of", "'At least two of' needs two findings or more.")
        slug = self.instance.slug if self.instance.pk else data.get("slug", "")
        brief = brief_rules().get(slug)
        if brief is None:
            return data
        level = data.get("level")
        if level and rank(level) < rank(brief["level"]):
            self.add_error("level", f"The clinical brief sets this rule at '{brief['level']}'.")
        if not data.get("active", True):
            self.add_error("active", "A rule from the clinical brief cannot be switched off.")
        # Broader means: fewer findings required, more alternatives in each list.
        for name in narrows(brief, sets):
            self.add_error(name, "This would make the brief's rule match fewer people.")
        return data


@admin.register(CombinationRule)
class CombinationRuleAdmin(GuardedAdmin):
    form = CombinationRuleForm
    list_display = ["name", "level", "active", "source"]
    list_filter = ["level", "active"]
    search_fields = ["slug", "name", "reason"]
    # Checkbox lists, like the condition admin: filter_horizontal's tooltip fails WCAG.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A brief rule keeps its slug, so its safety checks cannot be dodged by renaming it.
        return ["slug"] if obj is not None and obj.slug in brief_rules() else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.slug in brief_rules():
            return False
        return super().has_delete_permission(request, obj)


# Stacked inlines: tabular rows leave inputs without a <label> (WCAG).
class OptionInline(admin.StackedInline[Option, Question]):
    model = Option
    extra = 0
    fields = ["order", "symptom", "label", "hint"]


@admin.register(Question)
class QuestionAdmin(GuardedAdmin):
    list_display = ["text", "step", "kind", "order"]
    list_filter = ["step", "kind"]
    search_fields = ["slug", "text"]
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [OptionInline]


class QuestionInline(admin.StackedInline[Question, Step]):
    model = Question
    extra = 0
    fields = ["order", "slug", "text", "kind", "none_label"]
    show_change_link = True


@admin.register(Step)
class StepAdmin(GuardedAdmin):
    list_display = ["title", "slug", "order"]
    inlines = [QuestionInline]
