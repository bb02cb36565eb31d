"""Public content pages. Thin views: a QuerySet, then render.

Every page runs a fixed number of queries, however many conditions, red flags, symptoms,
remedies or sources there are (prefetch_related, .only() for lists, pagination).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from content import condition_cache, core_red_flags, help_signs
from content.condition_cache import Sign
from content.htmx import HtmxHttpRequest
from content.models import (
    SERIOUSNESS_ORDER,
    Condition,
    DiagnosticTest,
    Remedy,
    RemedyKind,
    Seriousness,
)
from content.search import clean_query
from content.search import search as find

CONDITIONS_PER_PAGE = 100
RESULTS_PER_PAGE = 20

_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json(data: dict[str, Any]) -> SafeString:
    """JSON safe to place inside <script type="application/ld+json">: no <, > or & survive,
    so no text in the data can close the script element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_LD_ESCAPES))  # noqa: S308


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    harmless = Condition.objects.links().filter(seriousness=Seriousness.HARMLESS)[:10]
    return render(
        request,
        "content/home.html",
        {"harmless": harmless, "emergency_signs": [Sign(t) for t in core_red_flags.EMERGENCY]},
    )


@require_safe
def condition_list(request: HttpRequest) -> HttpResponse:
    az = condition_cache.az_list()
    letter = request.GET.get("letter", "").strip().upper()[:1]
    page = Paginator(az.starting_with(letter), CONDITIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    groups = _group_by_seriousness(page)
    return render(
        request,
        "content/condition_list.html",
        {"page": page, "groups": groups, "letters": az.letters, "letter": letter},
    )


@dataclass
class _Group:
    value: str
    label: str
    conditions: list[condition_cache.Entry] = field(default_factory=list)


def _group_by_seriousness(page: Page[condition_cache.Entry]) -> list[_Group]:
    groups = {s.value: _Group(s.value, s.label) for s in SERIOUSNESS_ORDER}
    for entry in page.object_list:
        groups[entry.seriousness].conditions.append(entry)
    return [g for g in groups.values() if g.conditions]


def _condition_ld(request: HttpRequest, page: condition_cache.ConditionPage) -> SafeString:
    condition = page.condition
    team = {"@type": "Organization", "name": f"{settings.SITE_NAME} editorial team"}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": condition.name,
        "description": condition.summary,
        "url": request.build_absolute_uri(condition.get_absolute_url()),
        "inLanguage": "en-GB",
        "about": page.about,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "author": team,
        # The clinician who signed this version off; until one has, the team that checked
        # it against its sources (the byline says the same).
        "reviewedBy": (
            {"@type": "Person", "name": page.review.name, "jobTitle": page.review.role}
            if page.review
            else team
        ),
        "citation": [
            {
                "@type": "CreativeWork",
                "name": s.title,
                "url": s.url,
                "publisher": {"@type": "Organization", "name": s.publisher},
            }
            for s in page.sources
        ],
    }
    if condition.reviewed_on:
        data["lastReviewed"] = condition.reviewed_on.isoformat()
    return ld_json(data)


def _render_condition(
    request: HttpRequest, page: condition_cache.ConditionPage, *, preview: bool = False
) -> HttpResponse:
    context = {
        "condition": page.condition,
        "page": page,
        "cards": page.cards,
        "ld_json": _condition_ld(request, page),
        "preview": preview,
    }
    return render(request, "content/condition_detail.html", context)


@require_safe
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_condition(request, condition_cache.published(request, slug))


@require_safe
@staff_member_required
def condition_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Editors see any condition, draft or not, as it will look, under a 'Draft preview'
    banner. Not cached and not indexed."""
    if not request.user.has_perm("content.view_condition"):
        raise PermissionDenied
    page = condition_cache.page_of(condition_cache.with_everything(Condition.objects.all(), slug))
    response = _render_condition(request, page, preview=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def remedies(request: HttpRequest) -> HttpResponse:
    helps = Prefetch("conditions", queryset=Condition.objects.links())
    # .all(): django-stubs 5.2.9 mistypes prefetch_related on a from_queryset manager.
    all_remedies = list(Remedy.objects.all().prefetch_related(helps))
    groups = [
        (kind.value, kind.label, [r for r in all_remedies if r.kind == kind])
        for kind in (RemedyKind.IMMEDIATE, RemedyKind.LONG_TERM, RemedyKind.LIFESTYLE)
    ]
    return render(request, "content/remedies.html", {"groups": groups})


@require_safe
def get_help(request: HttpRequest) -> HttpResponse:
    """Every warning sign once, by urgency and then body area (content/help_signs.py)."""
    return render(request, "content/get_help.html", {"cards": help_signs.cards()})


@require_safe
def tests(request: HttpRequest) -> HttpResponse:
    used_for = Prefetch("conditions", queryset=Condition.objects.links())
    return render(
        request,
        "content/tests.html",
        {"tests": DiagnosticTest.objects.prefetch_related(used_for)},
    )


@require_safe
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "")
    query = clean_query(typed)
    context: dict[str, Any] = {"query": query, "cut": len(" ".join(typed.split())) > len(query)}
    if query:
        results = find(query)
        page = Paginator(results.matches, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "results": results,
            "page": page,
            "hits": results.hits(page.object_list),
        }
    # htmx live search replaces only #search-results; without JavaScript, the whole page.
    template = "content/search.html#results" if request.htmx else "content/search.html"
    return render(request, template, context)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        # The checker's start page may be found; its questions and results may not.
        "Allow: /check/$",
        "Disallow: /check/",
        "Disallow: /search/",
        "Disallow: /feedback/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
