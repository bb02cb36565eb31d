"""The feedback form: which page, yes or no, and what was missing (optional)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve

from feedback.models import TEXT_MAX_LENGTH, Feedback

PAGE_MAX_LENGTH = Feedback._meta.get_field("page").max_length or 200
# Control characters (NUL included) but tab and newline, and the bidirectional overrides
# that could make a text look different in the admin from what it holds.
UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NOT_A_PAGE = (
    "We could not tell which page your feedback is about. Go back to the page and try again"
)


def feedback_page(path: str) -> str | None:
    """`path` if it is the address of a page that asks for feedback, else None."""
    if not path.startswith("/") or len(path) > PAGE_MAX_LENGTH or UNWANTED.search(path):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return path if match.view_name in settings.FEEDBACK_PAGES else None


class PlainTextField(forms.CharField):
    """Text as typed, without control characters; a browser's CRLF line ends count as one
    character, as the textarea's own counter does."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value) or "")
        return UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


class FeedbackForm(forms.Form):
    page = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": NOT_A_PAGE, "null_characters_not_allowed": NOT_A_PAGE},
    )
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose yes or no",
            "invalid_choice": "Choose yes or no",
        },
    )
    text = PlainTextField(
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"What was missing must be {TEXT_MAX_LENGTH} characters or fewer "
            "(you wrote %(show_value)d)",
        },
    )

    def clean_page(self) -> str:
        page = feedback_page(self.cleaned_data["page"])
        if page is None:
            raise ValidationError(NOT_A_PAGE)
        return page

    def save(self) -> Feedback:
        return Feedback.objects.create(**self.cleaned_data)

    def error_list(self) -> list[tuple[str, str]]:
        """(the field's id, its message), for the error summary's links."""
        anchors = {"page": "feedback", "helpful": "feedback-helpful-yes"}
        return [
            (anchors.get(name, f"feedback-{name}"), str(message))
            for name, errors in self.errors.items()
            for message in errors
        ]
