"""Drive the symptom checker through its HTML contract (docs/checker-contract.md) only: the
one driver behind the load test, the benchmark and every test that walks the checker's HTML.

Nothing here knows the checker's URLs or internals: the start link (or form) carries
`data-wizard="start"`, each step is the `<form>` holding the `data-wizard="continue"`
`<button type="submit">`, options are checkbox/radio inputs whose value is a finding code or
`none`, and the result has `data-urgency`. A step shown again with an `error-summary` means
the answers were refused, which answers chosen from the page's own options never are.
No Django, no third-party imports: each caller brings a transport (Django's test client,
locust, urllib).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

URGENCIES = ("emergency", "urgent", "soon", "self-care")
# A real session needs fewer than this; more means the wizard loops.
MAX_STEPS = 40
REDIRECTS = frozenset({301, 302, 303})
MAX_REDIRECTS = 5


@dataclass
class Form:
    action: str
    method: str
    hidden: list[tuple[str, str]] = field(default_factory=list)
    # name -> (input type, [values]) for checkbox and radio options, in page order.
    options: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    other: list[tuple[str, str]] = field(default_factory=list)
    continue_button: tuple[str, str] | None = None  # (name, value) if the button has a name
    # A gateway's "No" (data-wizard="skip"): what a person with nothing more to say presses.
    skip_button: tuple[str, str] | None = None
    has_continue: bool = False
    start_button: bool = False


@dataclass
class Page:
    """What the contract exposes on one checker page, and a few facts tests check."""

    start_href: str | None = None
    start_form: Form | None = None
    step_form: Form | None = None
    urgency: str | None = None
    urgency_count: int = 0  # the contract wants exactly one on a result
    conditions: list[str] = field(default_factory=list)
    h1_count: int = 0
    refused: bool = False  # an error summary: the answers sent were not accepted
    breaches: list[str] = field(default_factory=list)  # what on the page breaks the contract


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.form: Form | None = None

    def updatepos(self, i: int, j: int) -> int:
        # Nothing here reads line numbers (getpos()): counting them took a sixth of a parse,
        # and the benchmark's load generator parses every checker page it is sent.
        return j

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "h1":
            self.page.h1_count += 1
        if a.get("class", "").startswith("error-summary"):
            self.page.refused = True
        if "data-urgency" in a:
            self.page.urgency_count += 1
            if self.page.urgency is None:
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
        if tag == "button" and wizard in {"start", "continue"}:
            # A browser would submit without the attribute too, but the contract names it.
            if a.get("type") != "submit":
                self.page.breaches.append(f"data-wizard={wizard} button without type=submit")
            if a.get("type", "submit") == "submit":
                self.form.has_continue |= wizard == "continue"
                self.form.start_button |= wizard == "start"
                if a.get("name"):
                    self.form.continue_button = (a["name"], a.get("value", ""))
        if tag == "button" and wizard == "skip" and a.get("name"):
            self.form.skip_button = (a["name"], a.get("value", ""))
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
    # Everything the contract names is in the body; the head's links and metas are skipped.
    body = html.find("<body")
    parser.feed(html[body:] if body > 0 else html)
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


def pick_findings(findings: set[str], guess: bool = True) -> Chooser:
    """Tick every option among `findings`; otherwise `none` (the contract's driver). A radio
    group offering neither (the age band, the duration) gets its first option if `guess`,
    else no answer: then the form refuses the step, as it must for a case that lacks one."""

    def choose(name: str, kind: str, values: list[str]) -> list[str]:
        chosen = [v for v in values if v in findings]
        if kind == "radio":
            chosen = chosen[:1]
        if chosen:
            return chosen
        if "none" in values:
            return ["none"]
        return values[:1] if guess and kind == "radio" else []

    return choose


def answers(form: Form, choose: Chooser, skip: bool = False) -> Answers:
    """The form's data as `choose` answers it; with `skip`, a gateway is answered No."""
    data: Answers = list(form.hidden) + list(form.other)
    for name, (kind, values) in form.options.items():
        data += [(name, value) for value in choose(name, kind, values)]
    if skip and form.skip_button:
        data.append(form.skip_button)
    elif form.continue_button:
        data.append(form.continue_button)
    return data


def local_path(url: str) -> str:
    """A URL's path and query, without scheme and host (what a transport bound to one site,
    or to several in turn, sends)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def as_dict(data: Answers) -> dict[str, list[str]]:
    """The answers as Django's test client (and urlencode's doseq) take them."""
    merged: dict[str, list[str]] = {}
    for name, value in data:
        merged.setdefault(name, []).append(value)
    return merged


class WizardError(AssertionError):
    """The checker did not behave as the contract says."""


@dataclass
class Response:
    status: int
    url: str  # the final URL after any redirects the transport followed
    text: str
    location: str = ""  # a redirect the transport did not follow: the driver follows it


# A transport: (method, absolute or site-relative url, form data or None) -> Response. It may
# follow redirects itself or hand them back (then each request is timed on its own).
# Locust, urllib and Django's test client each get a small adapter.
Transport = Callable[[str, str, Answers | None], Response]


@dataclass
class Session:
    """Where a session ended: the result page, its URL, and how many steps it answered."""

    page: Page
    url: str
    steps: int


def run_session(
    send: Transport,
    choose: Chooser,
    start_url: str = "/check/",
    max_steps: int = MAX_STEPS,
    skip: Callable[[], bool] = lambda: False,
) -> Session:
    """Go from the start page to the result, answering each step with `choose`. At a
    gateway (a page with a skip button), `skip()` says whether to answer No; by default
    the driver presses "continue" (Yes), as the contract's driver does."""
    response = _fetch(send, "GET", start_url, None, "start page")
    page = _read(response)
    if page.start_href is not None:
        response = _fetch(send, "GET", urljoin(response.url, page.start_href), None, "start")
    elif page.start_form is not None:
        response = _submit(send, response.url, page.start_form, [], "start")
    else:
        raise WizardError(f"no data-wizard=start on {response.url}")
    for step in range(max_steps):
        page = _read(response)
        if page.urgency is not None:
            if page.urgency not in URGENCIES:
                raise WizardError(f"unknown urgency {page.urgency!r} on {response.url}")
            return Session(page, response.url, step)
        if page.step_form is None:
            raise WizardError(f"neither a step nor a result at {response.url}")
        if page.refused:
            raise WizardError(f"the answers were refused at {response.url}")
        form = page.step_form
        data = answers(form, choose, skip=form.skip_button is not None and skip())
        response = _submit(send, response.url, form, data, "step")
    raise WizardError(f"no result after {max_steps} steps")


def _read(response: Response) -> Page:
    page = parse(response.text)
    if page.breaches:
        raise WizardError(f"{response.url}: {'; '.join(page.breaches)}")
    return page


def _submit(send: Transport, base: str, form: Form, data: Answers, what: str) -> Response:
    url = urljoin(base, form.action or base)
    if form.method == "post":
        return _fetch(send, "POST", url, data, what)
    return _fetch(send, "GET", f"{url.split('?')[0]}?{urlencode(data)}", None, what)


def _fetch(send: Transport, method: str, url: str, data: Answers | None, what: str) -> Response:
    response = send(method, url, data)
    for _ in range(MAX_REDIRECTS):
        if response.status not in REDIRECTS:
            break
        if not response.location:
            raise WizardError(f"{what}: HTTP {response.status} without Location at {url}")
        url = urljoin(response.url, response.location)
        response = send("GET", url, None)
    if response.status != 200:
        raise WizardError(f"{what}: HTTP {response.status} at {response.url}")
    return response
