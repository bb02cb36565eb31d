"""Drive the symptom checker through its HTML contract (docs/checker-contract.md) only.

Nothing here knows the checker's URLs or internals: the start link carries
`data-wizard="start"`, each step is the `<form>` holding the `data-wizard="continue"`
button, options are checkbox/radio inputs whose value is a finding code or `none`, and the
result has `data-urgency`. Used by the load test (loadtest/locustfile.py) and by the tests
that post bad input or run the checker across two servers. No Django, no third-party imports.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

URGENCIES = ("emergency", "urgent", "soon", "self-care")
# A real session needs fewer than this; more means the wizard loops.
MAX_STEPS = 40


@dataclass
class Form:
    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    # name -> (input type, [values]) for checkbox and radio options, in page order.
    options: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    other: list[tuple[str, str]] = field(default_factory=list)
    continue_button: tuple[str, str] | None = None  # (name, value) if the button has a name
    has_continue: bool = False
    start_button: bool = False


@dataclass
class Page:
    """What the contract exposes on one checker page."""

    start_href: str | None = None
    start_form: Form | None = None
    step_form: Form | None = None
    urgency: str | None = None
    conditions: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if "data-urgency" in a and self.page.urgency is None:
            self.page.urgency = a["data-urgency"]
        if "data-condition" in a:
            self.page.conditions.append(a["data-condition"])
        if tag == "form":
            self.form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            return
        wizard = a.get("data-wizard")
        if wizard == "start" and tag == "a" and self.page.start_href is None:
            self.page.start_href = a.get("href", "")
        if self.form is None:
            return
        if tag == "button" and a.get("type", "submit") == "submit":
            if wizard == "continue":
                self.form.has_continue = True
                if a.get("name"):
                    self.form.continue_button = (a["name"], a.get("value", ""))
            elif wizard == "start":
                self.form.start_button = True
                if a.get("name"):
                    self.form.continue_button = (a["name"], a.get("value", ""))
        if tag in {"input", "select", "textarea"} and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower() if tag == "input" else tag
            if kind == "hidden":
                self.form.hidden.append((a["name"], a.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                _, values = self.form.options.setdefault(a["name"], (kind, []))
                values.append(a.get("value", "on"))
            elif kind not in {"submit", "button", "reset", "image", "file"}:
                self.form.other.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            if self.form.has_continue and self.page.step_form is None:
                self.page.step_form = self.form
            if self.form.start_button and self.page.start_form is None:
                self.page.start_form = self.form
            self.form = None


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


Answers = list[tuple[str, str]]
Chooser = Callable[[str, str, list[str]], list[str]]


def pick_randomly(rng: random.Random) -> Chooser:
    """Mostly 'none' (the common, quick path), sometimes real findings."""

    def choose(name: str, kind: str, values: list[str]) -> list[str]:
        findings = [v for v in values if v != "none"]
        if "none" in values and (not findings or rng.random() < 0.7):
            return ["none"]
        if not findings:
            return values[:1]
        if kind == "radio":
            return [rng.choice(findings)]
        return rng.sample(findings, k=min(len(findings), rng.randint(1, 2)))

    return choose


def pick_findings(findings: set[str]) -> Chooser:
    """Tick every option among `findings`; otherwise `none` (the contract's driver)."""

    def choose(name: str, kind: str, values: list[str]) -> list[str]:
        chosen = [v for v in values if v in findings]
        if kind == "radio":
            chosen = chosen[:1]
        if chosen:
            return chosen
        if "none" in values:
            return ["none"]
        return [] if kind == "checkbox" else values[:1]

    return choose


def answers(form: Form, choose: Chooser) -> Answers:
    data: Answers = list(form.hidden) + list(form.other)
    for name, (kind, values) in form.options.items():
        data += [(name, value) for value in choose(name, kind, values)]
    if form.continue_button:
        data.append(form.continue_button)
    return data


class WizardError(AssertionError):
    """The checker did not behave as the contract says."""


@dataclass
class Response:
    status: int
    url: str  # the final URL after redirects
    text: str


# A transport: (method, absolute or site-relative url, form data or None) -> Response,
# following redirects. Locust, requests and Django's test client each get a small adapter.
Transport = Callable[[str, str, Answers | None], Response]


def run_session(
    send: Transport, choose: Chooser, start_url: str = "/check/"
) -> tuple[str, list[str], int]:
    """Go from the start page to the result. Returns (urgency, conditions, steps)."""
    response = _expect_ok(send("GET", start_url, None), "start page")
    page = parse(response.text)
    if page.start_href is not None:
        response = _expect_ok(send("GET", urljoin(response.url, page.start_href), None), "start")
    elif page.start_form is not None:
        response = _submit(send, response.url, page.start_form, [], "start")
    else:
        raise WizardError(f"no data-wizard=start on {response.url}")
    for step in range(MAX_STEPS):
        page = parse(response.text)
        if page.urgency is not None:
            if page.urgency not in URGENCIES:
                raise WizardError(f"unknown urgency {page.urgency!r} on {response.url}")
            return page.urgency, page.conditions, step
        if page.step_form is None:
            raise WizardError(f"neither a step nor a result at {response.url}")
        response = _submit(
            send, response.url, page.step_form, answers(page.step_form, choose), "step"
        )
    raise WizardError(f"no result after {MAX_STEPS} steps")


def _submit(send: Transport, base: str, form: Form, data: Answers, what: str) -> Response:
    url = urljoin(base, form.action or base)
    if form.method == "post":
        return _expect_ok(send("POST", url, data), what)
    return _expect_ok(send("GET", f"{url.split('?')[0]}?{urlencode(data)}", None), what)


def _expect_ok(response: Response, what: str) -> Response:
    if response.status != 200:
        raise WizardError(f"{what}: HTTP {response.status} at {response.url}")
    return response
