"""The feedback pages: the form (GET shows it, POST stores the answer) and the thank-you.

The articles link here with plain GET links (templates/feedback/_ask.html), so they carry
no form or CSRF token and stay in the page cache; nothing is stored on a GET, so a crawler
or a prefetch following the links records nothing. With htmx the form and the thank-you
are swapped into the page that asked (the `feedback` partials); without it they are
pages of their own, with a redirect after the POST.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from feedback import ratelimit
from feedback.forms import FeedbackForm, feedback_page


class HtmxHttpRequest(HttpRequest):
    """content/htmx.py's twin: this app may import neither content nor the checker."""

    htmx: HtmxDetails


def _render(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    # htmx swaps only 2xx responses in, so a refusal it shows is sent as 200.
    if request.htmx:
        return render(request, f"{template}#feedback", context, status=200)
    return render(request, template, context, status=status)


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "HEAD", "POST"])
def give(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _receive(request)
    page = feedback_page(request.GET.get("page", ""))
    if page is None:
        return _render(request, "feedback/not_a_page.html", {}, status=400)
    form = FeedbackForm(initial={"page": page, "helpful": request.GET.get("helpful")})
    return _render(request, "feedback/give.html", {"form": form, "page": page})


def _receive(request: HtmxHttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    page = feedback_page(str(form["page"].value() or ""))
    if not form.is_valid():
        context = {"form": form, "page": page, "error_list": form.error_list()}
        return _render(request, "feedback/give.html", context)
    if not ratelimit.allow(request):
        limits = {"page": page, "limit": ratelimit.LIMIT, "minutes": ratelimit.WINDOW // 60}
        return _render(request, "feedback/too_many.html", limits, status=429)
    answer = form.save()
    if request.htmx:
        return _render(request, "feedback/thanks.html", {"page": answer.page})
    return HttpResponseRedirect(
        f"{reverse('feedback:thanks')}?{urlencode({'page': answer.page})}", status=303
    )


@never_cache
@vary_on_headers("HX-Request")
@require_safe
def thanks(request: HtmxHttpRequest) -> HttpResponse:
    page = feedback_page(request.GET.get("page", ""))
    return _render(request, "feedback/thanks.html", {"page": page})
