"""One form for any checker page: a field per visible question, values checked against the
page's own options (anything else is an error, never stored)."""

from __future__ import annotations

from typing import Any

from django import forms

from triage.wizard import GATEWAY, NONE, RADIO, YES, QuestionSpec

NO = "no"  # a gateway's other button


class StepForm(forms.Form):
    def __init__(self, questions: tuple[QuestionSpec, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            if q.kind == GATEWAY:
                self.fields[q.slug] = forms.ChoiceField(
                    choices=[(YES, "Yes"), (NO, "No")],
                    error_messages={
                        "required": "Select Yes or No.",
                        "invalid_choice": "Select Yes or No.",
                    },
                )
                continue
            choices = [(o.code, o.label) for o in q.options]
            if q.none_label:
                choices.append((NONE, q.none_label))
            messages = {
                "required": _required_message(q),
                "invalid_choice": "Choose from the answers shown.",
                "invalid_list": "Choose from the answers shown.",
            }
            field_class = forms.ChoiceField if q.kind == RADIO else forms.MultipleChoiceField
            self.fields[q.slug] = field_class(
                choices=choices, required=q.required, error_messages=messages
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for q in self.questions:
            value = cleaned.get(q.slug)
            several = hasattr(self.data, "getlist") and len(self.data.getlist(q.slug)) > 1
            if q.kind == RADIO and several:
                self.add_error(q.slug, "Choose one answer.")
            if isinstance(value, list) and NONE in value and len(value) > 1:
                self.add_error(
                    q.slug, f"Select '{q.none_label}' or the answers that apply, not both."
                )
        return cleaned

    def codes(self) -> list[str]:
        """The finding codes ticked, in page order ("none" records nothing; a gateway's
        Yes is kept as YES, which no finding is)."""
        codes: list[str] = []
        for q in self.questions:
            value = self.cleaned_data.get(q.slug) or []
            picked = [value] if isinstance(value, str) else list(value)
            if q.kind == GATEWAY:
                codes += [YES] if YES in picked else []
                continue
            codes += [o.code for o in q.options if o.code in picked]
        return codes


def _required_message(q: QuestionSpec) -> str:
    if q.kind == RADIO:
        return "Select an answer."
    return f"Select the answers that apply, or '{q.none_label}'."


def initial_for(questions: tuple[QuestionSpec, ...], given: list[str] | None) -> dict[str, Any]:
    """What to show ticked for a page answered before (None: not answered yet)."""
    if given is None:
        return {}
    initial: dict[str, Any] = {}
    for q in questions:
        if q.kind == GATEWAY:
            initial[q.slug] = YES if YES in given else NO
            continue
        picked = [code for code in given if code in q.codes]
        if not picked and q.none_label:
            picked = [NONE]
        if q.kind == RADIO:
            initial[q.slug] = picked[0] if picked else None
        else:
            initial[q.slug] = picked
    return initial
