"""What is left of the benchmark's old hand-written client: the three names
tests/performance/test_queries.py still imports to walk the checker, now read through the
shared driver (harness/wizard.py). The load itself is locust's (bench/measure.py).

Delete this module once that test walks the checker with harness.wizard.run_session and a
transport that counts each request's queries.
"""

from __future__ import annotations

import random
from urllib.parse import urljoin, urlsplit

from harness import wizard


class FormParser:
    """The old parser's view of a page: `urgency`, `start_href`, and `forms` as dicts whose
    "wizard" is the shared driver's step (or start) form."""

    def __init__(self) -> None:
        self.urgency: str | None = None
        self.start_href: str | None = None
        self.forms: list[dict[str, object]] = []

    def feed(self, html: str) -> None:
        page = wizard.parse(html)
        self.urgency, self.start_href = page.urgency, page.start_href
        form = page.step_form or page.start_form
        if form is not None:
            self.forms = [{"action": form.action, "method": form.method, "wizard": form}]


def answers(form: dict[str, object], rng: random.Random, only_none: bool) -> wizard.Answers:
    """The shared driver's answers: at random (mostly "none"), or "none" wherever offered."""
    step = form["wizard"]
    assert isinstance(step, wizard.Form)
    choose = wizard.pick_findings(set()) if only_none else wizard.pick_randomly(rng)
    return wizard.answers(step, choose)


def _local(url: str, current: str) -> str:
    parts = urlsplit(urljoin("http://x" + current, url))
    return parts.path + (f"?{parts.query}" if parts.query else "")
