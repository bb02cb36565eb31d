"""The "When to get help" page: every warning sign once, by urgency and body area, each
linked to the articles it concerns, and nothing shown less urgent than an article says."""

from __future__ import annotations

import html as html_lib
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client
from django.urls import reverse

from content import core_red_flags
from content.models import RedFlag, Status, Urgency, WarningSign
from content.tests.helpers import make_condition

pytestmark = pytest.mark.django_db

MAX_SIGNS_PER_CARD = 30


@dataclass
class Line:
    urgency: str
    area: str
    text: str = ""
    label: str = ""
    links: list[str] = field(default_factory=list)


class Cards(HTMLParser):
    """Each care card's lines: the sign's words, the label before its links, the links."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.lines: list[Line] = []
        self.cards: list[str] = []
        self._area = ""
        self._in: list[str] = []  # what the text being read belongs to
        self._depth = 0  # open <div>s
        self._card_depth = 0  # the open card's, 0 outside cards
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        urgent = [c.removeprefix("care-card--") for c in classes if c.startswith("care-card--")]
        if tag == "div":
            self._depth += 1
        if urgent:
            self.cards.append(urgent[0])
            self._area = ""
            self._card_depth = self._depth
        elif not self._card_depth:
            return
        elif "care-card__area" in classes:
            self._in.append("area")
            self._area = ""
        elif tag == "li":
            self.lines.append(Line(self.cards[-1], self._area))
            self._in.append("li")
        elif "care-card__links" in classes:
            self._in.append("links")
        elif tag == "a" and self._in[-1:] == ["links"]:
            self.lines[-1].links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            if self._depth == self._card_depth:
                self._card_depth = 0
            self._depth -= 1
        elif tag in {"li", "h3", "span"} and self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in[-1:] == ["area"]:
            self._area += data.strip()
        elif self._in[-1:] == ["li"]:
            self.lines[-1].text += data
        elif self._in[-1:] == ["links"] and not self.lines[-1].label:
            self.lines[-1].label = data.strip()

    def texts(self) -> list[str]:
        return [" ".join(line.text.split()) for line in self.lines]


def _cards(client: Client) -> Cards:
    response = client.get(reverse("content:get_help"))
    assert response.status_code == 200
    return Cards(response.content.decode())


def _rank(urgency: str) -> int:
    return Urgency.rank(urgency)


def test_each_sign_is_on_the_page_once(client: Client) -> None:
    texts = _cards(client).texts()
    assert len(texts) > 50  # the brief's signs and the articles'
    assert len(texts) == len(set(texts)), [t for t in texts if texts.count(t) > 1]


def test_no_card_holds_more_than_30_signs_and_each_is_under_a_body_area(client: Client) -> None:
    cards = _cards(client)
    assert cards.cards == ["emergency", "urgent", "soon"]
    for urgency in cards.cards:
        lines = [line for line in cards.lines if line.urgency == urgency]
        assert 0 < len(lines) <= MAX_SIGNS_PER_CARD, (urgency, len(lines))
        assert all(line.area for line in lines), [line.text for line in lines if not line.area]
        areas = [line.area for line in lines]
        runs = [a for i, a in enumerate(areas) if i == 0 or areas[i - 1] != a]
        assert len(runs) == len(set(runs)), runs  # each area's signs together


def test_every_published_red_flag_is_shown_by_its_sign_at_no_lower_urgency(client: Client) -> None:
    lines = {" ".join(line.text.split()): line for line in _cards(client).lines}
    flags = RedFlag.objects.filter(condition__status=Status.PUBLISHED).select_related(
        "condition", "sign"
    )
    assert flags.count() > 200
    for flag in flags:
        shown = lines[flag.sign.text if flag.sign else flag.text]
        assert _rank(shown.urgency) >= _rank(flag.urgency), (flag.condition.slug, flag.slug)
        assert flag.condition.get_absolute_url() in shown.links, (flag.condition.slug, flag.slug)


def test_every_sign_of_the_clinical_brief_is_shown_at_its_urgency_or_higher(
    client: Client,
) -> None:
    lines = {" ".join(line.text.split()): line for line in _cards(client).lines}
    for urgency, texts in core_red_flags.BY_URGENCY.items():
        for text in texts:
            assert text in lines, text
            assert _rank(lines[text].urgency) >= _rank(urgency), text


def test_signs_link_to_their_articles_with_a_label(client: Client) -> None:
    cards = _cards(client)
    linked = [line for line in cards.lines if line.links]
    assert len(linked) > 60
    assert all(line.label == "Read about:" for line in linked)
    assert all(link.startswith("/conditions/") for line in linked for link in line.links)
    chest = next(line for line in cards.lines if line.text.startswith("Chest pain, sudden"))
    assert len(chest.links) >= 10  # one sign, written a dozen ways in a dozen articles
    assert not any("(see" in line.text for line in cards.lines)


def test_a_red_flag_an_editor_adds_without_a_sign_is_shown_under_other_signs(
    client: Client,
) -> None:
    make_condition("help-new", name="Help new", flags=[("A brand new test sign", Urgency.URGENT)])
    make_condition("help-draft", status=Status.DRAFT, flags=[("Draft-only sign", Urgency.SOON)])
    line = next(line for line in _cards(client).lines if "brand new test sign" in line.text)
    assert (line.urgency, line.area) == ("urgent", "Other signs")
    assert line.links == ["/conditions/help-new/"]
    assert "Draft-only sign" not in " ".join(_cards(client).texts())


def test_a_sign_is_shown_at_its_most_urgent_red_flags_urgency(client: Client) -> None:
    sign = WarningSign.objects.get(slug="burning-numb-feet")
    assert sign.urgency == Urgency.SOON
    condition = make_condition("help-raise", flags=[("Burning feet, worse", Urgency.EMERGENCY)])
    RedFlag.objects.filter(condition=condition).update(sign=sign)
    line = next(line for line in _cards(client).lines if line.text.strip() == sign.text)
    assert line.urgency == "emergency"
    assert "/conditions/help-raise/" in line.links


def test_the_shared_signs_fixture_never_lowers_a_red_flag() -> None:
    """The reviewed YAML itself: each sign at least as urgent as every red flag linked to it."""
    base = Path(settings.BASE_DIR) / "content/fixtures"
    signs = {
        o["fields"]["slug"]: o["fields"]["urgency"]
        for o in yaml.safe_load((base / "signs.yaml").read_text())
    }
    linked: dict[str, list[str]] = defaultdict(list)
    for path in sorted((base / "conditions").glob("*.yaml")):
        for o in yaml.safe_load(path.read_text()):
            if o["model"] == "content.redflag":
                fields = o["fields"]
                assert fields.get("sign"), f"{path.name}: {fields['slug']} has no shared sign"
                linked[fields["sign"][0]].append(fields["urgency"])
                assert _rank(signs[fields["sign"][0]]) >= _rank(fields["urgency"]), (
                    path.name,
                    fields["slug"],
                )
    assert set(linked) <= set(signs)


def test_the_page_escapes_what_editors_write(client: Client) -> None:
    make_condition("help-escape", flags=[("<b>bold</b> sign", Urgency.SOON)])
    page = client.get(reverse("content:get_help")).content.decode()
    assert "<b>bold</b>" not in page and html_lib.escape("<b>bold</b>") in page
