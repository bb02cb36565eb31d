"""The symptom checker wizard: a start page, one page per topic, check your answers, result.

Every page works as plain HTML forms and redirects. With htmx (request.htmx), a page
renders only its `wizard` block (the pages are Jinja2 templates, triage/jinja2/triage/)
and a valid answer returns the next page at once with HX-Push-Url, so only the wizard is
swapped and the address bar follows. Answers live only
in a signed cookie (triage/state.py); nothing is written to the database.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from content import core_red_flags
from content.htmx import HtmxHttpRequest
from triage import engine, presenters, state
from triage.forms import StepForm
from triage.knowledge import CheckerData, get_data

View = Callable[..., HttpResponse]
JINJA = "jinja2"  # the template engine of the checker's pages (settings.TEMPLATES)


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: after a POST (or the start link), the browser GETs the next page."""
    return HttpResponseRedirect(url, status=303)


def checker_page(view: View) -> View:
    """No copy of a checker page is ever stored (it shows health answers), and the same
    URL returns a partial or a full page depending on HX-Request. When the knowledge breaks
    the safety rules (triage/safety.py), every checker page refuses to answer and shows
    the emergency advice instead. The view is given the checker's data as `data`."""

    @wraps(view)
    def guarded(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = get_data()  # once per request: each call reads the content version
        if data.problems:
            context = {
                "page_title": "The checker is unavailable",
                "emergency_signs": core_red_flags.EMERGENCY,
            }
            # 503 for a plain request; 200 for htmx, which would not swap an error in.
            status = 200 if request.htmx else 503
            return _render(request, "triage/unavailable.html", context, status=status)
        return view(request, *args, data=data, **kwargs)

    return never_cache(vary_on_headers("HX-Request")(guarded))


def _render(
    request: HtmxHttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A checker page (a Jinja2 template, triage/jinja2/triage/, that fills in a `wizard`
    block): in the site's frame, or for htmx the wizard alone."""
    htmx = request.htmx
    partial = bool(htmx) and not htmx.boosted and not htmx.history_restore_request
    layout = "triage/_wizard.html" if partial else "triage/_page.html"
    return render(request, template, {**context, "layout": layout}, status=status, using=JINJA)


def _go(
    request: HtmxHttpRequest, data: CheckerData, where: str, answers: state.Answers
) -> HttpResponse:
    """After a valid answer: a 303 redirect, or for htmx the next page itself."""
    url = presenters.url_for(where, data.flow, answers)
    if request.htmx:
        response = _page(request, data, where, answers)
        response["HX-Push-Url"] = url
    else:
        response = see_other(url)
    state.save(response, answers)
    return response


def _page(
    request: HtmxHttpRequest, data: CheckerData, where: str, answers: state.Answers
) -> HttpResponse:
    if where == "answers":
        return _render(request, "triage/answers.html", presenters.answers_page(data, answers))
    if where == "result":
        return _render(request, "triage/result.html", presenters.result_page(data, answers))
    context = presenters.step_page(data, where, answers, form=None, change=False)
    return _render(request, "triage/step.html", context)


def _problem(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    """A friendly page for expired, changed or out-of-order answers, with a way to restart.
    400 for a plain request; 200 for htmx, which would not swap an error response in."""
    status = 200 if request.htmx else 400
    response = _render(request, "triage/problem.html", presenters.problem_page(kind), status)
    if kind in {"expired", "tampered"}:
        state.clear(response)
    return response


def _load(request: HtmxHttpRequest) -> state.Answers | HttpResponse:
    try:
        return state.load(request)
    except state.StateError as error:
        return _problem(request, error.kind)


@checker_page
@require_safe
def start(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    return _render(request, "triage/start.html", {"page_title": "Check your symptoms"})


@checker_page
@require_safe
def begin(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    """The start button: forget any earlier answers and go to the first question."""
    flow = data.flow
    response = see_other(presenters.url_for(flow.steps[0].slug, flow, {}))
    state.clear(response)
    return response


@checker_page
@require_http_methods(["GET", "POST"])
def step(
    request: HtmxHttpRequest, number: int, change: bool = False, *, data: CheckerData
) -> HttpResponse:
    flow = data.flow
    answers = _load(request)
    if isinstance(answers, HttpResponse):
        return answers
    here = flow.at(number, answers)
    if here is None:
        raise Http404("No such question")
    slug = here.slug
    if request.method == "POST" and request.POST.get("step") != slug:
        # The form was for another page: answers changed in another tab since it was shown.
        return _problem(request, "order")
    if not flow.is_reachable(slug, answers):
        first = flow.first_unanswered(answers)
        if request.method == "POST" or not answers or first is None:
            return _problem(request, "order" if answers else "missing")
        return _go(request, data, first.slug, answers)
    form = None
    if request.method == "POST":
        form = StepForm(flow.visible_questions(slug, answers), request.POST)
        if form.is_valid():
            answers = presenters.keep_visible(flow, {**answers, slug: form.codes()})
            return _go(request, data, presenters.next_place(data, slug, answers, change), answers)
    context = presenters.step_page(data, slug, answers, form=form, change=change)
    return _render(request, "triage/step.html", context)


def _unfinished(
    request: HtmxHttpRequest, data: CheckerData, answers: state.Answers, found: engine.Assessment
) -> HttpResponse | None:
    """Answers and result pages need every visible page answered (or an emergency): the
    page that sends the person on, or None when they may see it."""
    first = data.flow.first_unanswered(answers)
    if first is not None and found.urgency != engine.EMERGENCY:
        return _go(request, data, first.slug, answers)
    return None


def _load_finished(
    request: HtmxHttpRequest, data: CheckerData
) -> tuple[state.Answers, engine.Assessment] | HttpResponse:
    """The answers and their assessment (worked out once per request), when every visible
    page is answered or an emergency ended the questions early; otherwise the page that
    sends the person on."""
    given = _load(request)
    if isinstance(given, HttpResponse):
        return given
    if not given:
        return _problem(request, "missing")
    found = presenters.assess(data, given)
    return _unfinished(request, data, given, found) or (given, found)


@checker_page
@require_http_methods(["GET", "POST"])
def answers(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    given = _load(request)
    if isinstance(given, HttpResponse):
        return given
    if not given:
        return _problem(request, "missing")
    if request.method == "POST":
        found = presenters.assess(data, given)
        return _unfinished(request, data, given, found) or _go(request, data, "result", given)
    return _render(request, "triage/answers.html", presenters.answers_page(data, given))


@checker_page
@require_safe
def result(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    loaded = _load_finished(request, data)
    if isinstance(loaded, HttpResponse):
        return loaded
    return _render(request, "triage/result.html", presenters.result_page(data, *loaded))


@checker_page
@require_safe
def summary(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    loaded = _load_finished(request, data)
    if isinstance(loaded, HttpResponse):
        return loaded
    context = presenters.result_page(data, *loaded)
    context["rows"] = presenters.answer_rows(data.flow, loaded[0])  # the summary lists them
    context["today"] = timezone.localdate()
    return render(request, "triage/summary.html", context, using=JINJA)


# No CSRF token: a forged post could only forget the answers, which the start link
# (GET /check/begin/) does too; and "Start again" must work even when the person's CSRF
# cookie has gone (the problem page offers it after a lost or spoilt answers cookie).
# Without a token, the start-again form is the same on every page (the once tag).
@csrf_exempt
@checker_page
@require_POST
def restart(request: HtmxHttpRequest, *, data: CheckerData) -> HttpResponse:
    """Start again: delete the answers cookie and go back to the start page."""
    response = see_other(reverse("triage:start"))
    state.clear(response)
    return response
