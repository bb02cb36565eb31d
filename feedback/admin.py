"""Readers' feedback in the admin, read-only: every answer (with filters), and "Feedback by
page", the answers counted per page so editors see which pages fail readers.

Editors and Clinical safety may view and delete feedback (feedback/migrations/0002), to
remove at once a text in which someone wrote personal details despite the warning;
nobody adds or changes it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from feedback.models import RETENTION_DAYS, Feedback, PageSummary

# The summary's columns: (its ?o= name, heading); the rows sort by any of them.
COLUMNS = [
    ("page", "Page"),
    ("answers", "Answers"),
    ("yes", "Yes"),
    ("no", "No"),
    ("helpful_percent", "Helpful"),
    ("texts", "With text"),
]
DEFAULT_ORDER = "-no"  # the pages that failed most readers first


class ReadOnly:
    """Nobody adds or edits readers' answers: they are what readers sent."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly, admin.ModelAdmin[Feedback]):
    list_display = ["page", "helpful", "created_on", "text"]
    list_filter = ["helpful", "created_on"]
    search_fields = ["page", "text"]
    date_hierarchy = "created_on"
    list_per_page = 100


@admin.register(PageSummary)
class PageSummaryAdmin(ReadOnly, admin.ModelAdmin[PageSummary]):
    """One row per page; its page number links to that page's answers."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("feedback.view_feedback")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        order = request.GET.get("o", DEFAULT_ORDER)
        if order.lstrip("-") not in dict(COLUMNS):
            order = DEFAULT_ORDER
        field = order.lstrip("-")
        key = F(field).desc() if order.startswith("-") else F(field).asc()
        rows = list(PageSummary.objects.by_page().order_by(key, "page"))
        answers = reverse("admin:feedback_feedback_changelist")
        for row in rows:
            row["answers_url"] = f"{answers}?{urlencode({'page__exact': row['page']})}"
        columns = [
            # A sorted column's link turns its order round; another's sorts it, most first.
            (name, label, order, f"?o={name if order == '-' + name else '-' + name}")
            for name, label in COLUMNS
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Feedback by page",
            "opts": self.model._meta,
            "rows": rows,
            "columns": columns,
            "retention_days": RETENTION_DAYS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/feedback/page_summary.html", context)
