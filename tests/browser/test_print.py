"""Keeping a result: the result page's Print link (a plain link, so it works without
JavaScript) leads to the summary, which prints on one A4 page for every sample case; its
Print button works with JavaScript and is never a dead button without it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import Site
from .pagecheck import Inspector, every_screenshot
from .wizard import RESULT, assert_the_commands_result, case, sample_cases, walk

pytestmark = pytest.mark.browser

SUMMARY_PATH = "/check/summary/"
PRINT_LINK = re.compile("print", re.IGNORECASE)
# What the summary tells a person without JavaScript (triage/jinja2/triage/summary.html).
HOW_TO_PRINT = "choose Print in your browser's menu"


def pdf_pages(pdf: bytes) -> int:
    """The page objects of a PDF (`/Type /Page`, not the `/Type /Pages` tree above them)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def follow_print_link(page: Any) -> None:
    """From a result, follow its first Print link as a person would, by clicking it."""
    link = page.get_by_role("link", name=PRINT_LINK).first
    assert link.is_visible(), "the result page shows no Print link"
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(SUMMARY_PATH), f"the Print link led to {page.url}"
    assert "summary for your doctor" in page.locator("h1").inner_text()


@pytest.mark.parametrize("case_id", [c.id for c in sample_cases()])
def test_the_summary_reached_without_javascript_prints_on_one_a4_page(
    open_page: Callable[..., Any], screenshot_dir: Path, site: Site, case_id: str
) -> None:
    """Also test_checker.py's sample-case test with JavaScript off: the walk gets the
    command's result (one walk of each sample case without JavaScript, not two)."""
    page = open_page(javascript=False)
    sample = case(case_id)
    seen = walk(page, sample.findings, javascript=False)
    assert_the_commands_result(site, sample, seen, javascript=False)
    follow_print_link(page)
    assert page.locator(RESULT).get_attribute("data-urgency") == seen.urgency
    # Never a dead button: without JavaScript the words say how to print.
    assert page.get_by_text(HOW_TO_PRINT).is_visible()
    assert page.locator("main button:visible").count() == 0, "a button that cannot work"

    page.emulate_media(media="print")
    for part in (".site-header", ".site-footer", ".emergency-strip", ".print-control"):
        assert not page.locator(part).is_visible(), f"{part} is printed"
    assert page.locator("[data-safety-net]").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    (screenshot_dir / f"print-summary-{case_id}.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1, f"the printed summary for {case_id} takes {pdf_pages(pdf)} pages"


@pytest.mark.parametrize("case_id", ["U01", "C01"])  # an urgent and a self-care result
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_print_button_prints_and_the_pages_are_accessible(
    open_page: Callable[..., Any], screenshot_dir: Path, case_id: str, size: str
) -> None:
    page = open_page(size, javascript=True)
    # Count the calls rather than open the print dialog (a test hook, not the site's script).
    page.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; }")
    inspector = Inspector(size, screenshot_dir)
    seen = walk(page, case(case_id).findings, javascript=True)
    inspector.inspect(page, f"print-result-{case_id}")
    follow_print_link(page)
    inspector.inspect(page, f"print-summary-{case_id}")

    button = page.get_by_role("button", name="Print this page")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1, "the Print button did not print"
    page.emulate_media(media="print")
    if every_screenshot():
        page.screenshot(path=screenshot_dir / f"print-summary-{case_id}-{size}-print-media.png")
    assert page.locator(RESULT).get_attribute("data-urgency") == seen.urgency
    inspector.assert_no_problems()
