"""The editors' admin for content. Every model keeps a full history with whole reverts
(django-simple-history, content/admin_guard.py), and every save passes the checker's safety
gate and the no-lost-edits check. Publishing is refused until a condition has sources and review
dates, and no red flag may be shown at a lower urgency than its checker finding."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html

from content.admin_guard import GuardedAdmin
from content.condition_cache import with_everything
from content.models import (
    ARTICLE_SECTIONS,
    ClinicalSignOff,
    Condition,
    ConditionQuerySet,
    ConditionSymptom,
    DiagnosticTest,
    RedFlag,
    Remedy,
    Source,
    Status,
    Symptom,
    Urgency,
    WarningSign,
)
from content.search import words as search_words

MAX_REVIEW_GAP_YEARS = 3
# Held by the Clinical reviewers group (publishing/migrations/0003_clinical_reviewers.py).
SIGN_OFF_PERMISSION = "content.sign_off_condition"
MAX_PHRASES = 30
MAX_PHRASE_LENGTH = 80


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _label(level: str) -> str:
    return Urgency(level).label if level else "none"


class ConditionAdminForm(forms.ModelForm[Condition]):
    class Meta:
        model = Condition
        fields = "__all__"  # noqa: DJ007 - the admin shows every editable field
        # Checkbox lists rather than filter_horizontal, whose help tooltip breaks WCAG
        # (aria-prohibited-attr) and which needs JavaScript.
        widgets = dict.fromkeys(
            ("sources", "remedies", "tests", "related", "only_with"), forms.CheckboxSelectMultiple
        )

    def clean_search_phrases(self) -> str:
        """One phrase a line, each short and searchable; repeats and blank lines dropped."""
        lines = [
            " ".join(line.split()) for line in self.cleaned_data["search_phrases"].splitlines()
        ]
        phrases = list(dict.fromkeys(line for line in lines if line))
        too_long = [p for p in phrases if len(p) > MAX_PHRASE_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Keep each phrase under {MAX_PHRASE_LENGTH} characters, as people type them: "
                f"“{too_long[0][:40]}...” is longer."
            )
        if len(phrases) > MAX_PHRASES:
            raise forms.ValidationError(
                f"At most {MAX_PHRASES} phrases: keep the ones people really type."
            )
        unsearchable = [p for p in phrases if not search_words.terms(p)]
        if unsearchable:
            raise forms.ValidationError(
                f"“{unsearchable[0]}” has no word search can use (only small words such as "
                "'is' or 'the', or no letters)."
            )
        return "\n".join(phrases)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reviewed, due = data.get("reviewed_on"), data.get("next_review_due")
        if reviewed and due:
            if due <= reviewed:
                self.add_error("next_review_due", "The next review must be after the last review.")
            elif due > _add_years(reviewed, MAX_REVIEW_GAP_YEARS):
                self.add_error(
                    "next_review_due",
                    "The next review must be at most 3 years after the last review.",
                )
        if data.get("status") == Status.PUBLISHED:
            if not reviewed:
                self.add_error("reviewed_on", "A published page needs the date it was reviewed.")
            if not due:
                self.add_error(
                    "next_review_due", "A published page needs the date its next review is due."
                )
            sources = data.get("sources")
            if sources is not None and not sources.exists():
                self.add_error("sources", "A published page needs at least one source.")
        return data


class RedFlagForm(forms.ModelForm[RedFlag]):
    class Meta:
        model = RedFlag
        fields = ["slug", "text", "urgency", "finding", "sign", "order"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        urgency, finding = data.get("urgency"), data.get("finding")
        if (
            urgency
            and finding
            and finding.level
            and Urgency.rank(urgency) < Urgency.rank(finding.level)
        ):
            self.add_error(
                "urgency",
                f"This sign matches the finding '{finding.name}', which is "
                f"'{_label(finding.level)}'. The red flag may not be less urgent than that.",
            )
        return data


# Stacked, not tabular, inlines and plain selects: tabular rows give inputs no <label>,
# and the autocomplete widget has no accessible name (axe, WCAG 2.2 AA).
class RedFlagInline(admin.StackedInline[RedFlag, Condition]):
    model = RedFlag
    form = RedFlagForm
    extra = 0


class ConditionSymptomInline(admin.StackedInline[ConditionSymptom, Condition]):
    model = ConditionSymptom
    extra = 0
    verbose_name = "typical symptom"
    verbose_name_plural = "typical symptoms (the checker adds up the weights)"


class SignOffForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        label="Your name, as the page will show it",
        help_text="For example: Dr Sam Patel.",
    )
    role = forms.CharField(
        max_length=120,
        label="Your role, as the page will show it",
        help_text="For example: GP, or consultant neurologist.",
    )
    # The version the reviewer read: a sign-off counts only for it (Condition.fingerprint).
    fingerprint = forms.CharField(widget=forms.HiddenInput)


def sign_off_state(condition: Condition) -> str:
    """The article's clinical review, in a line for editors."""
    sign_off = ClinicalSignOff.objects.filter(condition=condition).first()
    if sign_off is None:
        return "No clinician has signed off this article."
    if sign_off.fingerprint == condition.fingerprint():
        return f"Signed off: this version. The page says “{reviewed_by(sign_off)}”."
    return (
        f"Not signed off: {sign_off.name} signed off an earlier version on "
        f"{dateformat.format(sign_off.signed_on, 'j F Y')}, and the article has changed since. "
        "The page says no clinician has reviewed it."
    )


def reviewed_by(sign_off: ClinicalSignOff) -> str:
    """The page's line, as content/_condition_article.html writes it."""
    day = dateformat.format(sign_off.signed_on, "j F Y")
    return f"Reviewed by {sign_off.name}, {sign_off.role} on {day}"


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review overdue"
    parameter_name = "review"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("overdue", "Overdue"), ("in-date", "In date"), ("not-set", "No date set")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Condition]) -> QuerySet[Condition]:
        today = timezone.localdate()
        if self.value() == "overdue":
            assert isinstance(queryset, ConditionQuerySet)  # the admin lists Condition.objects
            return queryset.review_overdue(today)
        if self.value() == "in-date":
            return queryset.filter(next_review_due__gte=today)
        if self.value() == "not-set":
            return queryset.filter(next_review_due__isnull=True)
        return queryset


@admin.register(Condition)
class ConditionAdmin(GuardedAdmin):
    form = ConditionAdminForm
    # The condition's profile is the checker's knowledge: Clinical safety only.
    knowledge_fields = ("seriousness", "only_with")
    knowledge_inlines = (ConditionSymptom,)
    inlines = [RedFlagInline, ConditionSymptomInline]
    list_display = [
        "name",
        "status",
        "seriousness",
        "reviewed_on",
        "next_review_due",
        "review_state",
        "preview_link",
    ]
    list_filter = ["status", "seriousness", ReviewOverdueFilter]
    search_fields = ["name", "other_names", "search_phrases", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "seriousness", "status"]}),
        (
            "Found in search by",
            {
                "fields": ["other_names", "search_phrases"],
                "description": "The names and phrases people type. A search that is one of "
                "them, or holds one, lists this page first.",
            },
        ),
        (
            "Article",
            {"fields": list(ARTICLE_SECTIONS)},
        ),
        ("Review", {"fields": ["reviewed_on", "next_review_due", "clinical_review"]}),
        ("Links", {"fields": ["sources", "remedies", "tests", "related"]}),
        ("Symptom checker", {"fields": ["only_with"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Condition | None = None) -> list[str]:
        # Editors see the checker's parts of an article; Clinical safety changes them.
        knowledge = [] if self.is_clinical(request) else list(self.knowledge_fields)
        return [*knowledge, "clinical_review"]

    @admin.display(description="clinical review")
    def clinical_review(self, obj: Condition) -> str:
        return sign_off_state(obj) if obj.pk else "Not signed off: the article is new."

    @admin.display(description="review")
    def review_state(self, obj: Condition) -> str:
        if not obj.next_review_due:
            return "no date"
        return "OVERDUE" if obj.is_review_overdue else "in date"

    @admin.display(description="preview")
    def preview_link(self, obj: Condition) -> str:
        url = reverse("content:condition_preview", args=[obj.slug])
        return format_html('<a href="{}">Preview</a>', url)

    def view_on_site(self, obj: Condition) -> str:
        """Drafts open the staff-only preview; published pages their public address."""
        if obj.status == Status.PUBLISHED:
            return obj.get_absolute_url()
        return reverse("content:condition_preview", args=[obj.slug])

    def get_urls(self) -> list[URLPattern]:
        overdue = path(
            "overdue/",
            self.admin_site.admin_view(self.overdue_view),
            name="content_condition_overdue",
        )
        sign_off = path(
            "<path:object_id>/sign-off/",
            self.admin_site.admin_view(self.sign_off_view),
            name="content_condition_sign_off",
        )
        return [overdue, sign_off, *super().get_urls()]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra = {
            "can_sign_off": request.user.has_perm(SIGN_OFF_PERMISSION),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def sign_off_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """A clinical reviewer signs off the version of the article they read: a
        confirmation page, then a POST. Refused if the article changed in between."""
        if not request.user.has_perm(SIGN_OFF_PERMISSION):
            raise PermissionDenied
        slug = get_object_or_404(Condition, pk=unquote(object_id)).slug
        condition = with_everything(Condition.objects.all(), slug)
        fingerprint = condition.fingerprint()
        form = SignOffForm(request.POST if request.method == "POST" else None)
        if form.is_valid():
            if form.cleaned_data["fingerprint"] != fingerprint:
                messages.error(
                    request,
                    "Not signed off: the article changed while you were reading it. Read "
                    "this version, then sign it off.",
                )
                form = SignOffForm()
            else:
                sign_off = self._sign_off(request, condition, fingerprint, form.cleaned_data)
                messages.success(
                    request,
                    f"You signed off this version of “{condition.name}”. Its page now says: "
                    f"{reviewed_by(sign_off)}. Any later edit clears it until a clinician "
                    "signs again.",
                )
                return HttpResponseRedirect(self.admin_url("change", condition.pk))
        if not form.is_bound:
            form = SignOffForm(initial={**self._last_sign_off(request), "fingerprint": fingerprint})
        context = {
            **self.admin_site.each_context(request),
            "title": f"Sign off “{condition.name}” as a clinical reviewer",
            "opts": self.model._meta,
            "original": condition,
            "form": form,
            "state": sign_off_state(condition),
        }
        return TemplateResponse(request, "admin/content/condition/sign_off.html", context)

    def _sign_off(
        self, request: HttpRequest, condition: Condition, fingerprint: str, data: dict[str, Any]
    ) -> ClinicalSignOff:
        with transaction.atomic():
            sign_off = ClinicalSignOff.objects.filter(condition=condition).first()
            sign_off = sign_off or ClinicalSignOff(condition=condition)
            sign_off.reviewer = request.user  # type: ignore[assignment]  # a logged-in user
            sign_off.name, sign_off.role = data["name"], data["role"]
            sign_off.signed_on = timezone.localdate()
            sign_off.fingerprint = fingerprint
            sign_off._change_reason = "Signed off as a clinical reviewer"  # type: ignore[attr-defined]  # simple-history's
            sign_off.save()  # raises the content version (publishing/signals.py)
        return sign_off

    def _last_sign_off(self, request: HttpRequest) -> dict[str, str]:
        """The name and role this reviewer gave last time, else their account's name."""
        last = (
            ClinicalSignOff.objects.filter(reviewer=request.user.pk)
            .order_by("-signed_on", "-pk")
            .values("name", "role")
            .first()
        )
        if last:
            return {"name": last["name"], "role": last["role"]}
        return {"name": getattr(request.user, "get_full_name", lambda: "")(), "role": ""}

    def overdue_view(self, request: HttpRequest) -> HttpResponse:
        """Pages whose review is overdue, most overdue first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        conditions = (
            Condition.objects.review_overdue(today)
            .only("pk", "slug", "name", "status", "next_review_due")
            .order_by("next_review_due", "name")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Pages whose review is overdue",
            "opts": self.model._meta,
            "conditions": conditions,
            "today": today,
        }
        return TemplateResponse(request, "admin/content/condition/overdue.html", context)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra = {
            "overdue_count": Condition.objects.review_overdue().count(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)


class SymptomAdminForm(forms.ModelForm[Symptom]):
    class Meta:
        model = Symptom
        fields = ["code", "group", "name", "meaning", "level", "concern", "context"]

    def clean_level(self) -> str:
        level = self.cleaned_data.get("level") or ""
        floor = self.instance.floor_level if self.instance else ""
        if floor and (not level or Urgency.rank(level) < Urgency.rank(floor)):
            raise forms.ValidationError(
                f"The clinical brief sets this finding at '{_label(floor)}' at least. "
                "You may raise it, but not lower it."
            )
        return level


@admin.register(Symptom)
class SymptomAdmin(GuardedAdmin):
    form = SymptomAdminForm
    list_display = ["code", "name", "group", "level", "floor_level"]
    list_filter = ["group", "level"]
    search_fields = ["code", "name", "meaning"]
    readonly_fields = ["floor_level"]

    def get_readonly_fields(self, request: HttpRequest, obj: Symptom | None = None) -> list[str]:
        # The code is the key the checker's rules use: fixed once created.
        return ["floor_level", "code"] if obj else ["floor_level"]


@admin.register(Remedy)
class RemedyAdmin(GuardedAdmin):
    knowledge_fields = ()
    list_display = ["name", "kind", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "summary", "how_to"]
    prepopulated_fields = {"slug": ["name"]}
    # Checkbox lists, like the condition admin: filter_horizontal's tooltip fails WCAG.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


@admin.register(Source)
class SourceAdmin(GuardedAdmin):
    knowledge_fields = ()
    list_display = ["title", "publisher", "accessed_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "slug"]
    date_hierarchy = "accessed_on"
    # Sources are web pages: an address typed without a scheme means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(DiagnosticTest)
class DiagnosticTestAdmin(GuardedAdmin):
    knowledge_fields = ()
    list_display = ["name", "short_name", "order"]
    search_fields = ["name", "short_name", "summary"]
    prepopulated_fields = {"slug": ["name"]}


class WarningSignRedFlagInline(admin.TabularInline[RedFlag, WarningSign]):
    """The articles' red flags that this sign stands for, to read (they are edited on
    their condition)."""

    model = RedFlag
    fields = ["condition", "text", "urgency"]
    readonly_fields = ("condition", "text", "urgency")
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "red flags of articles that say this sign"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WarningSign)
class WarningSignAdmin(GuardedAdmin):
    knowledge_fields = ()
    list_display = ["text", "urgency", "area", "order"]
    list_filter = ["urgency", "area"]
    search_fields = ["text", "slug"]
    prepopulated_fields = {"slug": ["text"]}
    inlines = [WarningSignRedFlagInline]
