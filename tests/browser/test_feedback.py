"""Was this page helpful? in a real browser: in place with htmx, as pages without
JavaScript; the form in place passes axe too."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .pagecheck import Inspector

pytestmark = pytest.mark.browser
ARTICLE = "/conditions/leg-cramps/"


def test_with_javascript_the_form_and_thanks_replace_the_links_in_place(
    open_page: Callable[..., Any], screenshot_dir: Path
) -> None:
    page = open_page("phone")
    page.goto(ARTICLE)
    page.get_by_role("link", name="No, this page was not helpful").click()
    page.locator("#feedback textarea").wait_for()
    assert page.url.endswith(ARTICLE)  # still on the article
    assert page.locator("#feedback-helpful-no").is_checked()
    inspector = Inspector("phone", screenshot_dir)
    inspector.inspect(page, "feedback-in-place")
    inspector.assert_no_problems()
    page.get_by_label("What was missing? (optional)").fill("Nothing about cramps at night.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Thank you for your feedback").wait_for()
    assert page.url.endswith(ARTICLE)
    assert page.locator("h1").count() == 1


def test_without_javascript_the_links_lead_to_the_form_and_a_thank_you_page(
    open_page: Callable[..., Any],
) -> None:
    page = open_page("phone", javascript=False)
    page.goto(ARTICLE)
    page.get_by_role("link", name="Yes, this page was helpful").click()
    page.wait_for_url(re.compile(r"/feedback/\?page="))
    assert page.locator("#feedback-helpful-yes").is_checked()
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/feedback/thanks/\?page="))
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    page.get_by_role("link", name="Back to the page").click()
    page.wait_for_url(f"**{ARTICLE}")
