"""Small builders for test-local content, so page tests do not depend on which articles
happen to be published yet."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from content.models import Condition, RedFlag, Seriousness, Source, Status

TODAY = datetime.date(2026, 1, 1)


def make_source(slug: str = "test-source") -> Source:
    source, _ = Source.objects.get_or_create(
        slug=slug,
        defaults={
            "publisher": "NHS",
            "title": f"Test page {slug}",
            "url": f"https://www.nhs.uk/{slug}/",
            "accessed_on": TODAY,
        },
    )
    return source


def make_condition(
    slug: str,
    *,
    name: str | None = None,
    seriousness: str = Seriousness.HARMLESS,
    status: str = Status.PUBLISHED,
    flags: Sequence[tuple[str, str]] = (),
    **fields: Any,
) -> Condition:
    defaults: dict[str, Any] = {
        "name": name or slug.replace("-", " ").capitalize(),
        "summary": f"Summary of {slug}.",
        "seriousness": seriousness,
        "what_it_is": "What it is text.",
        "symptoms": "Symptoms text.",
        "causes": "Causes text.",
        "diagnosis": "Diagnosis text.",
        "treatment": "Treatment text.",
        "status": status,
        "reviewed_on": TODAY,
        "next_review_due": TODAY.replace(year=2028),
    }
    defaults.update(fields)
    condition = Condition.objects.create(slug=slug, **defaults)
    condition.sources.add(make_source())
    for i, (text, urgency) in enumerate(flags):
        RedFlag.objects.create(
            condition=condition, slug=f"flag-{i}", text=text, urgency=urgency, order=i
        )
    return condition


class Elements(HTMLParser):
    """The start tags of an HTML page, and the text inside <h1> and <script> elements."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


class FormData(HTMLParser):
    """The values a browser would submit from the form with the given id:
    inputs, checked boxes, textareas and selected options."""

    def __init__(self, html: str, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False
        self._done = False
        self.feed(html)

    def _add(self, name: str | None, value: str | None) -> None:
        if name:
            self.data.setdefault(name, []).append(value or "")

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        if tag == "form" and attrs.get("id") == self.form_id and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value"))
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value"))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # Browsers drop one leading newline in a textarea.
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._done = True
