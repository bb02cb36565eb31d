"""The published audit, "How we check this checker": its figures are a fresh run of the
reference cases (never stale, never typed by hand), the page shows exactly those figures,
the checker links to it, and the fast walk it rests on agrees with the real HTML pages."""

from __future__ import annotations

import io
import json
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from triage import engine, reference_cases
from triage.audit_views import AUDIT_FILE
from triage.knowledge import get_data
from triage.reference_cases import Case, load_cases
from triage.tests.helpers import client_transport, drive
from triage.wizard import CHECKBOX, RADIO, Flow, OptionSpec, QuestionSpec, StepSpec

STALE = (
    "triage/data/audit.json no longer matches the reference cases and the current rules: "
    "run `python manage.py audit_checker --write` and commit the file."
)
CASES = load_cases()


def command_summary(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("audit_checker", "--json", *args, stdout=out)
    summary: dict[str, Any] = json.loads(out.getvalue())
    return summary


# --- the committed figures are a fresh run -----------------------------------------------


@pytest.mark.django_db
def test_the_committed_audit_is_a_fresh_run_of_the_command() -> None:
    committed = json.loads(AUDIT_FILE.read_text())
    assert committed.pop("generated"), "the file says when it was made"
    assert committed == command_summary(), STALE


def test_the_committed_audit_counts_every_case_file() -> None:
    committed = json.loads(AUDIT_FILE.read_text())
    assert committed["case_files"] == len(reference_cases.case_files()), STALE
    assert committed["by_file"] == dict(sorted(Counter(c.file for c in CASES).items())), STALE
    assert committed["cases"] == len(CASES), STALE


@pytest.mark.django_db
def test_the_command_prints_readable_text_and_writes_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.management.commands import audit_checker

    target = tmp_path / "audit.json"
    monkeypatch.setattr(audit_checker, "AUDIT_FILE", target)
    out = io.StringIO()
    call_command("audit_checker", stdout=out)
    text = out.getvalue()
    summary = audit_checker.current_summary()
    assert f"{summary['cases']} cases in {summary['case_files']} files" in text
    assert f"Right urgency: {summary['overall']['exact']} of {summary['overall']['n']}" in text
    assert not target.exists()

    written = command_summary("--write")
    text = target.read_text()
    payload = json.loads(text)
    assert list(payload)[0] == "generated" and payload.pop("generated")
    assert payload == written == summary
    assert list(payload) == list(summary), "keys keep their order"
    assert text.startswith('{\n  "generated": ') and text.endswith("\n}\n"), "indent 2"


# --- the page shows the same numbers as the command --------------------------------------


class AuditPage(HTMLParser):
    """Each element's data-audit key with its text; every table's caption and headers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.figures: list[tuple[str, str]] = []
        self._open: list[tuple[str, str, list[str]]] = []  # (tag, key, text)
        self.tables = 0
        self.captions = 0
        self.headers_without_scope: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th" and a.get("scope") not in {"col", "row"}:
            self.headers_without_scope.append(str(attrs))
        if tag == "a":
            self.links.append(a.get("href", ""))
        if "data-audit" in a:
            self._open.append((tag, a["data-audit"], []))

    def handle_data(self, data: str) -> None:
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, key, text = self._open.pop()
            self.figures.append((key, "".join(text).strip()))


def parse_page(html: str) -> AuditPage:
    page = AuditPage()
    page.feed(html)
    return page


def figure(summary: dict[str, Any], key: str) -> int:
    """A figure named like the page's data-audit keys: "overall.exact",
    "levels.emergency.under", "by_kind.atypical", "misses|length", "red_team"."""
    if key == "red_team":
        return int(summary["cases"]) - int(summary["by_kind"].get(reference_cases.SAMPLE, 0))
    path, _, length = key.partition("|")
    value: Any = summary
    for part in path.split("."):
        if isinstance(value, list):
            value = next(row for row in value if row.get("level") == part)
        else:
            value = value[part]
    return len(value) if length == "length" else int(value)


@pytest.mark.django_db
def test_the_page_shows_the_figures_of_the_command(client: Client) -> None:
    response = client.get(reverse("triage:audit"))
    assert response.status_code == 200
    page = parse_page(response.content.decode())
    summary = command_summary()
    shown = {key for key, _ in page.figures}
    for key, text in page.figures:
        assert text.isdigit(), f"{key}: {text!r} is not a plain number"
        assert int(text) == figure(summary, key), f"{key}: the page says {text}. {STALE}"
    required = {"cases", "top3_causes.hits", "top3_causes.n", "top3_causes.percent"}
    required |= {f"overall.{k}" for k in ("n", "exact", "under", "over", "exact_percent")}
    required |= {
        f"levels.{level}.{k}" for level in engine.LEVELS for k in ("n", "exact", "under", "over")
    }
    required |= {f"by_kind.{kind}" for kind in reference_cases.KINDS} | {"red_team"}
    lists = ("misses", "cause_misses", "unrecorded")
    required |= {f"{key}|length" for key in lists if summary[key]}
    assert required <= shown, f"the page does not show {sorted(required - shown)}"


@pytest.mark.django_db
def test_every_miss_is_listed_on_the_page(client: Client) -> None:
    html = client.get(reverse("triage:audit")).content.decode()
    committed = json.loads(AUDIT_FILE.read_text())
    for miss in committed["misses"] + committed["cause_misses"]:
        assert f'<th scope="row">{miss["id"]}</th>' in html, miss["id"]


@pytest.mark.django_db
def test_the_page_says_its_limits_and_compares_itself_honestly(client: Client) -> None:
    html = client.get(reverse("triage:audit")).content.decode()
    for words in [
        "not a clinical trial",
        "not real patients",
        "not yet been signed off by a clinician",
        "does not replace a doctor",
        "same team that built the checker",
        "57%",
        "49%",
        "https://doi.org/10.1136/bmj.h3480",
        "https://doi.org/10.5694/mja2.50600",
    ]:
        assert words in html, words


@pytest.mark.django_db
def test_the_page_tables_have_captions_and_scoped_headers(client: Client) -> None:
    page = parse_page(client.get(reverse("triage:audit")).content.decode())
    assert page.tables >= 2
    assert page.captions == page.tables
    assert page.headers_without_scope == []


# --- the checker links to it ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_checker_start_page_links_to_the_audit(client: Client) -> None:
    page = parse_page(client.get("/check/").content.decode())
    assert reverse("triage:audit") in page.links
    assert reverse("triage:audit") == "/check/how-we-test/"


# --- the walk agrees with the real pages ---------------------------------------------------


SAMPLES = [c for c in CASES if c.file == "samples.yaml"]


# The samples here; every case's HTML walk is compared with `walk` in test_contract.py.
@pytest.mark.django_db
@pytest.mark.parametrize("case", SAMPLES, ids=[c.id for c in SAMPLES])
def test_the_walk_gives_what_the_html_driver_gets(case: Case) -> None:
    evaluation = reference_cases.evaluate(get_data(), case)
    if evaluation.unanswerable:
        pytest.fail(f"{case.id}: the real form would refuse {evaluation.unanswerable}")
    page = drive(*client_transport(Client()), list(case.findings))
    assert page.urgency == evaluation.urgency
    assert sorted(page.recorded) == sorted(evaluation.recorded)
    top = reference_cases.TOP_CAUSES
    assert page.conditions[:top] == list(evaluation.causes[:top])
    assert page.conditions == list(evaluation.causes[: len(page.conditions)])


def test_the_sample_cases_are_among_the_reference_cases() -> None:
    samples = [c for c in CASES if c.file == "samples.yaml"]
    assert samples and {c.kind for c in samples} == {reference_cases.SAMPLE}


# --- the pure logic on a small hand-made checker ---------------------------------------------


def _q(slug: str, kind: str, codes: str, none: str = "No", shown_if: str = "") -> QuestionSpec:
    return QuestionSpec(
        slug=slug,
        text=slug,
        kind=kind,
        options=tuple(OptionSpec(code, code) for code in codes.split()),
        none_label=none,
        shown_if_any=frozenset(shown_if.split()),
    )


FLOW = Flow(
    steps=(
        StepSpec("first", "First", (_q("signs", CHECKBOX, "chest_pain"),)),
        StepSpec("age", "Age", (_q("band", RADIO, "young old", none=""),)),
        StepSpec(
            "more",
            "More",
            (
                _q("feel", RADIO, "flicker cramp"),
                _q("cramp_long", CHECKBOX, "cramp_long", shown_if="cramp"),
            ),
        ),
    )
)
KNOWLEDGE = engine.Knowledge(
    findings={
        "chest_pain": engine.Finding("chest_pain", "chest pain", engine.EMERGENCY),
        "cramp_long": engine.Finding("cramp_long", "long cramps", engine.URGENT),
        **{c: engine.Finding(c, c) for c in ("young", "old", "flicker", "cramp", "spare")},
    },
    conditions=(
        engine.ConditionProfile("cramps", "Cramps", {"cramp": 3, "cramp_long": 2}),
        engine.ConditionProfile("twitch", "Twitch", {"flicker": 3}),
        engine.ConditionProfile("draft", "Draft", {"flicker": 3, "cramp": 3}),
    ),
)


class _Data:
    """Just what evaluate() reads of a CheckerData; "draft" is not published."""

    flow = FLOW
    knowledge = KNOWLEDGE
    conditions = {"cramps": object(), "twitch": object()}


DATA = _Data()


def case(expect: str, findings: str, causes: str = "", kind: str = "sample") -> Case:
    return Case(
        id=f"{expect}:{findings}",
        file="t.yaml",
        expect=expect,
        causes=tuple(causes.split()),
        findings=tuple(findings.split()),
        kind=kind,
    )


def test_walk_ticks_the_findings_page_by_page_and_a_radio_takes_the_first() -> None:
    answers = reference_cases.walk(FLOW, KNOWLEDGE, ["old", "cramp", "flicker", "cramp_long"])
    assert answers == {"first": [], "age": ["old"], "more": ["flicker"]}


def test_walk_shows_a_follow_up_only_after_the_finding_it_hangs_on() -> None:
    # Follow-ups hang on earlier pages; on the same page the question is not shown yet.
    answers = reference_cases.walk(FLOW, KNOWLEDGE, ["young", "cramp", "cramp_long"])
    assert answers["more"] == ["cramp"]


def test_walk_stops_at_the_emergency() -> None:
    answers = reference_cases.walk(FLOW, KNOWLEDGE, ["chest_pain", "young", "cramp"])
    assert answers == {"first": ["chest_pain"]}


def test_evaluate_reports_what_it_could_not_record_and_why() -> None:
    stopped = reference_cases.evaluate(DATA, case("emergency", "chest_pain young"))
    assert stopped.stopped and stopped.urgency == engine.EMERGENCY
    assert stopped.unrecorded == {"young": reference_cases.AFTER_STOP}
    full = reference_cases.evaluate(DATA, case("soon", "young flicker cramp spare cramp_long"))
    assert not full.stopped
    assert full.unrecorded == {
        "cramp": reference_cases.ONE_ANSWER,
        "spare": reference_cases.NOT_ASKED,
        "cramp_long": reference_cases.HIDDEN,
    }
    blank = reference_cases.evaluate(DATA, case("self-care", "flicker"))
    assert blank.unanswerable == ("band",)


def test_evaluate_lists_published_causes_only() -> None:
    result = reference_cases.evaluate(DATA, case("self-care", "young flicker", "draft"))
    assert result.causes == ("twitch",)
    assert not result.hit


def test_audit_counts_exact_under_and_over_per_expected_level() -> None:
    cases = [
        case("emergency", "chest_pain young", "twitch"),  # exact; stopped before any cause
        case("emergency", "young flicker", "twitch", kind="atypical"),  # under, cause hit
        case("self-care", "young cramp", "cramps", kind="reassuring"),  # exact
        case("soon", "young cramp", "twitch"),  # under, cause miss
    ]
    summary = reference_cases.audit(DATA, cases)
    assert summary["cases"] == 4 and summary["case_files"] == 1
    assert summary["by_kind"] == {"sample": 2, "atypical": 1, "reassuring": 1}
    rows = {row["level"]: row for row in summary["levels"]}
    assert [row["level"] for row in summary["levels"]] == list(reversed(engine.LEVELS))
    assert rows["emergency"] == {
        "level": "emergency", "n": 2, "exact": 1, "under": 1, "over": 0, "exact_percent": 50
    }  # fmt: skip
    assert rows["urgent"]["n"] == 0 and rows["urgent"]["exact_percent"] == 0
    assert summary["overall"]["exact"] == 2 and summary["overall"]["under"] == 2
    assert summary["top3_causes"] == {"n": 4, "hits": 2, "percent": 50}
    assert [(m["expected"], m["got"]) for m in summary["misses"]] == [
        ("emergency", "self-care"),
        ("soon", "self-care"),
    ]
    assert [m["got"] for m in summary["cause_misses"]] == [[], ["cramps"]]
    assert summary["condition_names"] == {"cramps": "Cramps", "twitch": "Twitch"}


def test_over_triage_is_counted_as_over() -> None:
    summary = reference_cases.audit(DATA, [case("self-care", "young chest_pain")])
    assert summary["overall"]["over"] == 1 and summary["misses"][0]["outcome"] == "over"


def test_load_cases_rejects_what_it_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "- {id: A1, expect: soon, causes: [x], findings: [kind_flicker], kind: atypical}\n"
    )
    assert reference_cases.load_cases(tmp_path) == [
        Case("A1", "a.yaml", "soon", ("x",), ("kind_flicker",), kind="atypical"),
    ]
    for bad, message in [
        ("- {id: A2, expect: later, causes: [], findings: [a]}\n", "expect"),
        ("- {id: A2, expect: soon, causes: [], findings: []}\n", "no findings"),
        ("- {id: A2, expect: soon, findings: [a], kind: odd}\n", "kind"),
        ("- {id: A1, expect: soon, findings: [a]}\n", "twice"),
        ("{id: A2}\n", "list"),
    ]:
        (tmp_path / "b.yaml").write_text(bad)
        with pytest.raises(reference_cases.CaseError, match=message):
            reference_cases.load_cases(tmp_path)
