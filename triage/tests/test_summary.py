"""The printed summary, the only way to keep a result (answers expire within the hour): for
every sample case it holds each part of the result, with that case's own content, and no
sentence on it points to a part that is not there."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import dateformat, timezone

from triage import engine, reference_cases
from triage.knowledge import get_data
from triage.presenters import MAX_CAUSES
from triage.tests.helpers import client_transport, drive

pytestmark = pytest.mark.django_db

SAMPLES = [c for c in reference_cases.load_cases() if c.file == "samples.yaml"]
VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "td", "th"}
# What the care card tells a person to do, at each level (templates/triage/_care_card.html).
WHAT_TO_DO = {
    engine.EMERGENCY: f"Call {settings.EMERGENCY_NUMBER}",
    engine.URGENT: "Get help today",
    engine.SOON: "See a GP",
    engine.SELF_CARE: "You can look after this at home",
}
# Words that send the reader to another part of the page.
POINTER = re.compile(r"\b(below|above|see the|in \")", re.IGNORECASE)


@dataclass(eq=False)  # compared by identity: two equal list items are still two
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = (c if isinstance(c, str) else c.text for c in self.children)
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    def all(self, test: str) -> list[Node]:
        """Descendants by tag name, `[attr]`, `[attr=value]` or `.class`."""
        found = [self] if self._matches(test) else []
        for child in self.children:
            if isinstance(child, Node):
                found += child.all(test)
        return found

    def one(self, test: str) -> Node:
        found = self.all(test)
        assert len(found) == 1, f"{len(found)} elements match {test}"
        return found[0]

    def _matches(self, test: str) -> bool:
        if test.startswith("."):
            return test[1:] in self.attrs.get("class", "").split()
        if test.startswith("["):
            name, _, value = test.strip("[]").partition("=")
            return name in self.attrs and (not value or self.attrs[name] == value)
        return self.tag == test


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1 and self.stack.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def tree(html: str) -> Node:
    parser = _Tree()
    parser.feed(html)
    return parser.root.one("main")


def items(node: Node) -> list[str]:
    return [li.text for li in node.all("li")]


def links(node: Node) -> list[tuple[str, str]]:
    return [(a.text, a.attrs.get("href", "")) for a in node.all("a")]


def walk(case: reference_cases.Case) -> tuple[Node, Node, list[str]]:
    """A sample case walked through the checker's pages by the shared driver: its result
    page, its summary, and the findings it gave."""
    client = Client()
    result = drive(*client_transport(client), list(case.findings))
    assert result.urgency == case.expect, case.id
    result_page = tree(client.get("/check/result/").content.decode())
    summary = client.get("/check/summary/")
    assert summary.status_code == 200
    return result_page, tree(summary.content.decode()), result.recorded


def section(page: Node, name: str) -> Node:
    return page.one(f"[data-section={name}]")


@pytest.mark.parametrize("case", SAMPLES, ids=lambda c: c.id)
def test_the_summary_holds_every_part_of_the_result(case: reference_cases.Case) -> None:
    result_page, summary, recorded = walk(case)
    data = get_data()
    assessment = engine.assess(recorded, data.knowledge)

    today = dateformat.format(timezone.localdate(), "j F Y")
    assert f"Made on {today}" in section(summary, "date").text

    answers = section(summary, "answers").text
    assert recorded, f"{case.id} gave no findings"
    for code in recorded:
        assert data.flow.label(code) in answers, f"the answer {code} is missing"

    level = section(summary, "level")
    assert level.one("[data-urgency]").attrs["data-urgency"] == case.expect
    assert WHAT_TO_DO[case.expect] in level.one(".care-card__heading").text
    assert level.one(".care-card__body").text, "the care card says nothing to do"

    reasons = items(section(summary, "reasons"))
    assert reasons and len(reasons) == len(assessment.reasons)
    for reason, given in zip(assessment.reasons, reasons, strict=True):
        assert given.startswith(reason.text)

    causes = section(summary, "causes")
    expected = [data.conditions[c.slug] for c in assessment.causes if c.slug in data.conditions]
    assert expected, f"{case.id} has no likely cause"
    assert links(causes) == [(c.name, c.url) for c in expected[:MAX_CAUSES]]
    shown = [li.attrs["data-condition"] for li in causes.all("[data-condition]")]
    assert shown == [li.attrs["data-condition"] for li in result_page.all("[data-condition]")]

    self_care = summary.all("[data-section=self-care]")
    if case.expect in {engine.SOON, engine.SELF_CARE}:
        remedies = links(self_care[0].one(".remedies"))
        assert remedies, f"{case.id}: no self-care on a {case.expect} summary"
        assert remedies == links(result_page.one(".remedies")), "not the result page's self-care"
    elif case.expect == engine.URGENT:
        assert "Do not rely on self-care" in self_care[0].text
    else:
        assert not self_care and not summary.all(".remedies"), "self-care on an emergency"

    net = section(summary, "get-help-sooner").one("[data-safety-net]")
    assert net.one("h2").text == "Get help sooner if"
    assert net.text == result_page.one("[data-safety-net]").text, "not the result's safety net"
    if case.expect != engine.EMERGENCY:
        assert len(items(net)) >= 7 and f"Call {settings.EMERGENCY_NUMBER}" in net.text


@pytest.mark.parametrize("case", SAMPLES, ids=lambda c: c.id)
def test_no_sentence_on_the_summary_points_to_a_part_it_lacks(case: reference_cases.Case) -> None:
    """A sentence such as 'Try the self-care below' needs the self-care on the page: each
    such pointer is a link to the part it names, and every link within the page lands."""
    _, summary, _ = walk(case)
    ids = {n.attrs["id"] for n in summary.all("[id]")}
    headings = {h.text for h in summary.all("h2")}
    for text, href in links(summary):
        if href.startswith("#"):
            assert href[1:] in ids, f'"{text}" links to {href}, which is not on the page'
    answers = section(summary, "answers")
    # Answers are the person's own words, quoted back: not pointers.
    blocks = [n for tag in BLOCKS for n in summary.all(tag) if n not in answers.all(tag)]
    for block in blocks:
        if not POINTER.search(block.text):
            continue
        inner = [href for _, href in links(block) if href.startswith("#")]
        assert inner, f'"{block.text}" points elsewhere on the page without a link'
        for quoted in re.findall(r'"([^"]+)"', block.text):
            assert quoted in headings, f'"{block.text}" names a part the page lacks'


def test_a_self_care_pointer_is_shown_only_with_self_care_to_point_to() -> None:
    """The care card is shared by the result and the summary: without remedies it names
    none (a self-care result whose causes have no remedies)."""
    html = render_to_string("triage/_care_card.html", {"urgency": "self-care", "remedies": []})
    assert "below" not in html and 'href="#get-help-sooner"' in html
    html = render_to_string("triage/_care_card.html", {"urgency": "self-care", "remedies": [1]})
    assert 'href="#self-care"' in html
