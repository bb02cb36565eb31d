"""Shared test helpers: the brief's knowledge straight from the reviewed files (no
database), and a driver that walks the wizard's HTML the way docs/checker-contract.md
describes (no JavaScript: plain form posts and links)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from triage import engine

ROOT = Path(__file__).resolve().parents[2]
FINDINGS_SPEC: dict[str, dict[str, dict[str, str | None]]] = yaml.safe_load(
    (ROOT / "triage/data/findings.yaml").read_text()
)
FINDINGS = {code: spec for group in FINDINGS_SPEC.values() for code, spec in group.items()}
SYMPTOMS = yaml.safe_load((ROOT / "content/fixtures/symptoms.yaml").read_text())
CONTEXT = frozenset(r["fields"]["code"] for r in SYMPTOMS if r["fields"].get("context"))
# Every reference case: the brief's samples and our red team (triage/cases/*.yaml).
VIGNETTES = [
    case
    for path in sorted((ROOT / "triage/cases").glob("*.yaml"))
    for case in yaml.safe_load(path.read_text())
]


def knowledge_from_files(conditions: tuple[engine.ConditionProfile, ...] = ()) -> engine.Knowledge:
    """findings.yaml levels and the rules of triage/fixtures/rules.yaml, built by hand."""
    findings = {
        code: engine.Finding(
            code=code,
            meaning=str(spec["meaning"]),
            level=spec["level"],
            context=code in CONTEXT,
        )
        for code, spec in FINDINGS.items()
    }
    rules = []
    for record in yaml.safe_load((ROOT / "triage/fixtures/rules.yaml").read_text()):
        f = record["fields"]
        rules.append(
            engine.Rule(
                slug=f["slug"],
                level=f["level"],
                reason=f["reason"],
                source=f["source"],
                all_of=frozenset(k[0] for k in f["all_of"]),
                any_of=frozenset(k[0] for k in f["any_of"]),
                groups=tuple(
                    (least, frozenset(k[0] for k in f[name]))
                    for least, name in ((1, "any_of_2"), (1, "any_of_3"), (2, "two_of"))
                    if f[name]
                ),
                conditions=tuple(k[0] for k in f["conditions"]),
            )
        )
    return engine.Knowledge(findings=findings, rules=tuple(rules), conditions=conditions)


@dataclass
class Page:
    """What the driver needs from one page of HTML."""

    url: str = ""
    start_href: str | None = None
    form_action: str | None = None
    form_method: str = "get"
    hidden: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name: (type, value)
    checked: dict[str, list[str]] = field(default_factory=dict)
    urgency: str | None = None
    urgency_count: int = 0
    conditions: list[str] = field(default_factory=list)
    h1_count: int = 0
    has_error_summary: bool = False
    # Set by drive(): every finding code it ticked on the way to this page.
    recorded: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page
        self._form: dict[str, str] | None = None
        self._forms: list[
            tuple[
                dict[str, str],
                dict[str, str],
                dict[str, list[tuple[str, str]]],
                dict[str, list[str]],
                bool,
            ]
        ] = []
        self._hidden: dict[str, str] = {}
        self._groups: dict[str, list[tuple[str, str]]] = {}
        self._checked: dict[str, list[str]] = {}
        self._continue = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "h1":
            self.page.h1_count += 1
        if "data-urgency" in a:
            self.page.urgency = a["data-urgency"]
            self.page.urgency_count += 1
        if "data-condition" in a:
            self.page.conditions.append(a["data-condition"])
        if a.get("class", "").startswith("error-summary"):
            self.page.has_error_summary = True
        if tag == "a" and a.get("data-wizard") == "start":
            self.page.start_href = a.get("href")
        if tag == "form":
            self._form = a
            self._hidden, self._groups, self._checked, self._continue = {}, {}, {}, False
        if self._form is None:
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "hidden":
                self._hidden[a["name"]] = a.get("value", "")
            elif kind in {"checkbox", "radio"}:
                self._groups.setdefault(a["name"], []).append((kind, a.get("value", "")))
                if "checked" in a:
                    self._checked.setdefault(a["name"], []).append(a.get("value", ""))
        if tag == "button" and a.get("data-wizard") in {"continue", "start"}:
            assert a.get("type") == "submit"
            self._continue = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self._forms.append(
                (self._form, self._hidden, self._groups, self._checked, self._continue)
            )
            self._form = None

    def finish(self) -> Page:
        for form, hidden, groups, checked, is_continue in self._forms:
            if is_continue:
                self.page.form_action = form.get("action")
                self.page.form_method = form.get("method", "get").lower()
                self.page.hidden, self.page.groups, self.page.checked = hidden, groups, checked
        return self.page


def parse(url: str, html: str) -> Page:
    parser = _Parser(Page(url=url))
    parser.feed(html)
    return parser.finish()


# A transport: get(url) and post(url, data) both follow redirects and return (url, html).
Get = Callable[[str], tuple[str, str]]
Post = Callable[[str, dict[str, list[str]]], tuple[str, str]]


def choose(page: Page, findings: set[str]) -> dict[str, list[str]]:
    """Tick every option whose value is a finding of the case, else "none" where offered."""
    data: dict[str, list[str]] = {name: [value] for name, value in page.hidden.items()}
    for name, options in page.groups.items():
        kind = options[0][0]
        values = [value for _, value in options]
        picked = [v for v in values if v in findings]
        if kind == "radio":
            picked = picked[:1]
        if not picked and "none" in values:
            picked = ["none"]
        data[name] = picked
    return data


def client_transport(client: Any) -> tuple[Get, Post]:
    """drive()'s get and post on Django's test client, following redirects."""

    def get(url: str) -> tuple[str, str]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        return response.request["PATH_INFO"], response.content.decode()

    def post(url: str, data: dict[str, list[str]]) -> tuple[str, str]:
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url
        return response.request["PATH_INFO"], response.content.decode()

    return get, post


def drive(get: Get, post: Post, findings: list[str], max_pages: int = 20) -> Page:
    """Walk the wizard from /check/ for one case; return the result page."""
    url, html = get("/check/")
    page = parse(url, html)
    assert page.start_href, "the start page needs a data-wizard=start link"
    url, html = get(page.start_href)
    recorded: list[str] = []
    for _ in range(max_pages):
        page = parse(url, html)
        if page.urgency is not None:
            page.recorded = recorded
            return page
        assert page.form_action and not page.has_error_summary, (url, html[:3000])
        data = choose(page, set(findings))
        recorded += [v for n, vs in data.items() if n in page.groups for v in vs if v != "none"]
        url, html = post(page.form_action, data)
    raise AssertionError(f"no result after {max_pages} pages")
