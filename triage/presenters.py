"""What each checker page shows, as template context built from plain data (no queries:
everything comes from the cached CheckerData)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from triage import engine
from triage.forms import StepForm, initial_for
from triage.knowledge import CheckerData, Link
from triage.state import Answers
from triage.wizard import CHECKBOX, GATEWAY, NONE, YES, Flow, OptionSpec, QuestionSpec

CHILD = "age_under_16"
PREGNANT = "pregnant"
MAX_CAUSES = 5
MAX_REMEDIES = 6

PROBLEMS = {
    "expired": (
        "Your answers have timed out",
        "We only keep your answers for one hour, to protect your privacy. "
        "They have now been deleted.",
    ),
    "tampered": (
        "We could not read your answers",
        "Your answers were changed or damaged, so we cannot use them safely. "
        "They have now been deleted.",
    ),
    "order": (
        "Please answer the questions in order",
        "We need your answers to the earlier questions first.",
    ),
    "missing": (
        "We could not find your answers",
        "This can happen if more than an hour has passed, or if your browser blocks cookies. "
        "The checker needs one cookie to remember your answers until you finish.",
    ),
}


@functools.lru_cache(maxsize=256)
def _reverse(name: str, number: int | None = None) -> str:
    """reverse() for the checker's few addresses, each worked out once per process (a
    result page links a dozen of them)."""
    return reverse(name, args=[] if number is None else [number])


def url_for(where: str, flow: Flow, answers: Answers, *, change: bool = False) -> str:
    """A page's address. Question pages are numbered by their place among the pages this
    person sees (/check/3/), so two people with different answers see the same addresses."""
    if where in {"answers", "result", "start"}:
        return _reverse(f"triage:{where}")
    return _reverse("triage:change" if change else "triage:step", flow.number(where, answers))


def assess(data: CheckerData, answers: Answers) -> engine.Assessment:
    return engine.assess(data.flow.findings(answers), data.knowledge)


def keep_visible(flow: Flow, answers: Answers) -> Answers:
    """Forget answers to pages that a changed answer has hidden."""
    shown = {step.slug for step, _ in flow.visible(answers)}
    return {slug: codes for slug, codes in answers.items() if slug in shown}


def next_place(data: CheckerData, slug: str, answers: Answers, change: bool) -> str:
    """Where a valid answer leads. Brief rule 2: an emergency ends the questions at once."""
    if engine.urgency(data.flow.findings(answers), data.knowledge) == engine.EMERGENCY:
        return "result"
    flow = data.flow
    following = None if change else flow.next_after(slug, answers)
    unanswered = flow.first_unanswered(answers)
    target = following or unanswered
    return target.slug if target else "answers"


def _label(q: QuestionSpec, code: str) -> str:
    return q.none_label if code == NONE else q.label_for(code)


@dataclass(frozen=True)
class OptionMarkup:
    """One answer's input attributes and label, escaped once per question (not per page)."""

    code: str
    input_id: str
    attrs: SafeString  # type, id, name, value, aria-describedby, data-exclusive-group
    label: SafeString  # the label's text and its hint


@functools.lru_cache(maxsize=512)
def option_markup(q: QuestionSpec) -> tuple[OptionMarkup, ...]:
    """Each option's markup, the "none" option last (a content edit builds new specs)."""
    kind = "checkbox" if q.kind == CHECKBOX else "radio"
    exclusive = kind == "checkbox" and bool(q.none_label)
    options = [*q.options, OptionSpec(NONE, q.none_label)] if q.none_label else q.options
    made = []
    for o in options:
        input_id = f"{q.slug}-{o.code}"
        attrs = format_html(
            'type="{}" id="{}" name="{}" value="{}"', kind, input_id, q.slug, o.code
        )
        label = conditional_escape(o.label)
        if o.hint:
            hint_id = f"{input_id}-hint"
            attrs += format_html(' aria-describedby="{}"', hint_id)
            label += format_html(
                '<span class="hint choice__hint" id="{}">{}</span>', hint_id, o.hint
            )
        if o.code == NONE and exclusive:
            attrs += format_html(' data-exclusive="{}"', q.slug)
        elif exclusive:
            attrs += format_html(' data-exclusive-group="{}"', q.slug)
        made.append(OptionMarkup(o.code, input_id, attrs, label))
    return tuple(made)


def step_page(
    data: CheckerData, slug: str, answers: Answers, form: StepForm | None, change: bool
) -> dict[str, Any]:
    flow = data.flow
    step = flow.step(slug)
    assert step is not None
    questions = flow.visible_questions(slug, answers)
    # A sent form shows what was sent, and its errors; otherwise what was answered before
    # (no form is built: the template writes the inputs from option_markup).
    errors: dict[str, list[str]] = {}
    if form is not None and form.is_bound:
        values = {q.slug: form[q.slug].value() for q in questions}
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
    else:
        values = initial_for(questions, answers.get(slug))
    rendered: list[dict[str, Any]] = []
    for q in questions:
        value = values.get(q.slug)
        picked = set(value) if isinstance(value, list) else {value} if value else set()
        error = " ".join(errors.get(q.slug, []))
        if q.kind == GATEWAY:
            # Two buttons, Yes first (the contract's "continue": a driver that knows only
            # finding codes always goes on to the questions behind it).
            said = "Yes" if YES in picked else "No" if slug in answers else ""
            rendered.append(
                {"q": q, "type": GATEWAY, "said": said, "error": error, "first_id": f"{q.slug}-yes"}
            )
            continue
        markup = option_markup(q)
        options = [(o, o.code in picked) for o in markup]
        rendered.append(
            {
                "q": q,
                "type": "checkbox" if q.kind == CHECKBOX else "radio",
                "options": options[:-1] if q.none_label else options,
                "none": options[-1] if q.none_label else None,
                "error": error,
                "first_id": f"{q.slug}-{q.options[0].code}",
            }
        )
    previous = flow.previous_before(slug, answers)
    if change:
        back = url_for("answers", flow, answers)
    else:
        back = url_for(previous.slug if previous else "start", flow, answers)
    findings = flow.findings(answers)
    shown = [s.slug for s, _ in flow.visible(answers)]
    return {
        "step": step,
        "gateway": any(r["type"] == GATEWAY for r in rendered),
        "questions": rendered,
        "error_list": [
            (r["first_id"], f"{r['q'].text} {r['error']}") for r in rendered if r["error"]
        ],
        "action": url_for(slug, flow, answers, change=change),
        "back_url": back,
        "change": change,
        "child": CHILD in findings,
        "position": shown.index(slug) + 1,
        # Honest but unsure: pages behind a gateway not yet answered Yes are not counted.
        "of_about": len(shown),
        "page_title": ("Error: " if errors else "") + step.title,
    }


def answer_rows(flow: Flow, answers: Answers) -> list[dict[str, Any]]:
    """Each answered, visible page with each question and the answers given."""
    rows = []
    for step, questions in flow.visible(answers):
        if step.slug not in answers:
            continue
        given = answers[step.slug]
        items = []
        for q in questions:
            if q.kind == GATEWAY:
                items.append({"question": q.text, "answers": ["Yes" if YES in given else "No"]})
                continue
            codes = [c for c in given if c in q.codes] or ([NONE] if q.none_label else [])
            items.append({"question": q.text, "answers": [_label(q, c) for c in codes]})
        change_url = url_for(step.slug, flow, answers, change=True)
        rows.append({"step": step, "items": items, "change_url": change_url})
    return rows


def answers_page(data: CheckerData, answers: Answers) -> dict[str, Any]:
    flow = data.flow
    visible = flow.visible(answers)
    last_answered = [s for s, _ in visible if s.slug in answers]
    return {
        "rows": answer_rows(flow, answers),
        "back_url": url_for(last_answered[-1].slug if last_answered else "start", flow, answers),
        "action": url_for("answers", flow, answers),
        "child": CHILD in flow.findings(answers),
        "page_title": "Check your answers",
    }


def _inline(label: str) -> str:
    """An option label as part of a sentence: "You are pregnant" -> "you are pregnant"."""
    first = label.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()):  # "I", "HRT": keep as written
        return label
    return label[:1].lower() + label[1:]


def _fits(remedy: Link, findings: frozenset[str]) -> bool:
    """Causes 5: a remedy tied to findings (stop smoking) only for a person who has one."""
    return not remedy.only_with or bool(remedy.only_with & findings)


def result_page(
    data: CheckerData, answers: Answers, assessment: engine.Assessment | None = None
) -> dict[str, Any]:
    """The result's context (the summary adds the answer rows); `assessment` is these
    answers' own, when the view has worked it out already."""
    if assessment is None:
        assessment = assess(data, answers)
    flow = data.flow
    reasons = [
        {
            "text": r.text,
            "level": r.level,
            # A combination names the answers it rests on, in the words the person ticked.
            "said": [_inline(flow.label(c)) for c in r.findings] if len(r.findings) > 1 else [],
        }
        for r in assessment.reasons
    ]
    causes: list[dict[str, Any]] = []
    for cause in assessment.causes[:MAX_CAUSES]:
        link = data.conditions.get(cause.slug)
        if link is None:
            continue
        causes.append(
            {
                "slug": cause.slug,
                "name": link.name,
                "summary": link.summary,
                "url": link.url,
                # Causes 2: only findings of this cause's own profile, in the person's words.
                "because": [_inline(flow.label(c)) for c in cause.matched],
            }
        )
    given = frozenset(assessment.findings)
    remedies: list[Link] = []
    if assessment.urgency in {engine.SOON, engine.SELF_CARE}:
        for shown in causes[:3]:
            for remedy in data.remedies.get(shown["slug"], ()):
                if remedy not in remedies and _fits(remedy, given):
                    remedies.append(remedy)
    return {
        "assessment": assessment,
        "urgency": assessment.urgency,
        "reasons": reasons,
        "causes": causes,
        "remedies": remedies[:MAX_REMEDIES],
        "child": CHILD in assessment.findings,
        "pregnant": PREGNANT in assessment.findings,
        "finished": flow.is_complete(answers),
        "page_title": "Your result",
    }


def problem_page(kind: str) -> dict[str, Any]:
    title, text = PROBLEMS[kind]
    return {"problem_title": title, "problem_text": text, "page_title": title}
