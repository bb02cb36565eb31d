"""Help near the top: on a phone, every published article shows its most urgent care card
within the first two screens, with JavaScript off (issue 12, point 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import SIZES, Site

pytestmark = pytest.mark.browser

PHONE = SIZES["phone"]["viewport"]
TWO_SCREENS = 2 * PHONE["height"]  # 1,688 px at 390 x 844

# Where the first care card starts, and what else a reader (or a screen reader) would trip
# over: ids used twice, headings that skip a level, a summary link that leads nowhere.
LAYOUT = """() => {
  const card = document.querySelector("article .care-card");
  const ids = [...document.querySelectorAll("[id]")].map((e) => e.id);
  const levels = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map((h) => Number(h.tagName[1]));
  const more = [...document.querySelectorAll("article .care-card a[href^='#']")]
    .map((a) => a.getAttribute("href").slice(1));
  return {
    top: card ? card.getBoundingClientRect().top + window.scrollY : null,
    duplicateIds: ids.filter((id, i) => ids.indexOf(id) !== i),
    skips: levels.slice(1).filter((level, i) => level > levels[i] + 1).length,
    firstHeading: levels[0],
    deadLinks: more.filter((id) => !document.getElementById(id)),
  };
}"""


def _published_articles(site: Site) -> list[str]:
    return list(
        json.loads(
            site.manage(
                "shell",
                "--no-imports",
                "-c",
                "import json; from content.models import Condition; "
                "print(json.dumps([c.get_absolute_url() for c in Condition.objects.published()]))",
            )
        )
    )


def test_every_article_shows_its_most_urgent_care_within_two_phone_screens(
    open_page: Callable[..., Any], site: Site
) -> None:
    articles = _published_articles(site)
    assert len(articles) >= 40, articles  # the real content, not an empty site
    page = open_page("phone", javascript=False)
    problems = []
    for path in articles:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        found = page.evaluate(LAYOUT)
        if found["top"] is None or found["top"] > TWO_SCREENS:
            problems.append(f"{path}: first care card at {found['top']} px (> {TWO_SCREENS})")
        if found["duplicateIds"]:
            problems.append(f"{path}: ids used twice: {found['duplicateIds']}")
        if found["skips"] or found["firstHeading"] != 1:
            problems.append(f"{path}: headings skip a level or do not start at <h1>")
        if found["deadLinks"]:
            problems.append(f"{path}: care card links to missing #{found['deadLinks']}")
    assert not problems, "\n".join(problems)


def test_the_summary_link_takes_a_phone_reader_to_the_full_cards_without_javascript(
    open_page: Callable[..., Any],
) -> None:
    page = open_page("phone", javascript=False)
    page.goto("/conditions/benign-fasciculations/")
    summary = page.locator(".care-summary .care-card")
    assert summary.locator("h2").inner_text().startswith("Immediate action required")
    summary.get_by_role("link", name="More signs to look out for, and what to do").click()
    page.wait_for_url("**#get-help")
    full_cards = page.locator("#get-help .care-card")
    assert full_cards.count() == 3  # 999, today and GP: every level the article has
    assert full_cards.first.is_visible()
    top = page.locator("#get-help").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2, top  # scrolled to the cards, not left at the top
    assert page.evaluate("window.scrollY") > TWO_SCREENS
