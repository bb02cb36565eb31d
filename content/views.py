"""Public content pages. Thin views: a QuerySet method, then render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from content.models import Condition, DiagnosticTest, Remedy


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "content/home.html")


@require_GET
def condition_list(request: HttpRequest) -> HttpResponse:
    conditions = Condition.objects.published()
    return render(request, "content/condition_list.html", {"conditions": conditions})


@require_GET
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    condition = get_object_or_404(Condition.objects.published(), slug=slug)
    return render(request, "content/condition_detail.html", {"condition": condition})


@require_GET
def remedies(request: HttpRequest) -> HttpResponse:
    return render(request, "content/remedies.html", {"remedies": Remedy.objects.all()})


@require_GET
def get_help(request: HttpRequest) -> HttpResponse:
    return render(request, "content/get_help.html")


@require_GET
def tests(request: HttpRequest) -> HttpResponse:
    return render(request, "content/tests.html", {"tests": DiagnosticTest.objects.all()})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = Condition.objects.published().filter(name__icontains=query) if query else []
    return render(request, "content/search.html", {"query": query, "results": results})


@require_GET
def static_page(request: HttpRequest, template: str) -> HttpResponse:
    return render(request, template)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /check/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
