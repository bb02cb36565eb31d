"""Shared test helpers: the brief's knowledge straight from the reviewed files (no
database), and drive(), which walks the wizard's HTML the way docs/checker-contract.md
describes (no JavaScript: plain form posts and links) with the one shared driver,
harness/wizard.py, on Django's test client or any get/post pair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from harness import wizard
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
class Page(wizard.Page):
    """A page as these tests read it: the shared driver's reading (harness/wizard.py), its
    address, and on a result reached by drive() every finding code ticked on the way."""

    url: str = ""
    recorded: list[str] = field(default_factory=list)
    steps: int = 0  # on a result reached by drive(): the pages answered on the way

    @property
    def form_action(self) -> str | None:
        return self.step_form.action if self.step_form else None


def parse(url: str, html: str) -> Page:
    return Page(**vars(wizard.parse(html)), url=url)


# A transport: get(url) and post(url, data) both follow redirects and return (url, html).
Get = Callable[[str], tuple[str, str]]
Post = Callable[[str, dict[str, list[str]]], tuple[str, str]]


def choose(page: Page, findings: set[str]) -> dict[str, list[str]]:
    """What drive() sends on a step: every option that is a finding of the case, else "none"
    where offered (and no answer where neither is: the form must then refuse the step)."""
    assert page.step_form, f"no step form at {page.url}"
    return wizard.as_dict(wizard.answers(page.step_form, wizard.pick_findings(findings, False)))


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


def drive(
    get: Get, post: Post, findings: list[str], max_pages: int = 30, say_no: bool = False
) -> Page:
    """Walk the wizard from /check/ for one case (harness/wizard.py's run_session, which
    fails on a refused step or a page breaking the contract); return the result page.
    With `say_no`, every gateway is answered No (a person with nothing more to say)."""
    pick = wizard.pick_findings(set(findings), guess=False)
    recorded: list[str] = []

    def record(name: str, kind: str, values: list[str]) -> list[str]:
        picked = pick(name, kind, values)
        recorded.extend(v for v in picked if v != "none")
        return picked

    def send(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        final_url, html = post(url, wizard.as_dict(data or [])) if method == "POST" else get(url)
        return wizard.Response(200, final_url, html)

    session = wizard.run_session(send, record, max_steps=max_pages, skip=lambda: say_no)
    return Page(**vars(session.page), url=session.url, recorded=recorded, steps=session.steps)
