"""The symptom checker in a real browser: every sample case with JavaScript on and off
(off: test_print.py, which walks each to its printable summary), a red-team case of each
urgency level from each file with it on, by keyboard alone, and through axe at both sizes."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from triage import reference_cases

from .conftest import SIZES, Site
from .pagecheck import Inspector
from .wizard import (
    CONTINUE,
    HEADING,
    RESULT,
    START,
    Case,
    assert_the_commands_result,
    case,
    click_continue,
    command_result,
    heading,
    options,
    sample_cases,
    walk,
    wanted,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("case_id", [c.id for c in sample_cases()])
def test_a_sample_case_walked_in_the_browser_gets_the_commands_result(
    open_page: Callable[..., Any], site: Site, case_id: str
) -> None:
    """With JavaScript on. The same walk with it off, and the same assertions, is
    test_print.py's test_the_summary_reached_without_javascript_prints_on_one_a4_page,
    which goes on from the result to print its summary: one walk, not two."""
    sample = case(case_id)
    seen = walk(open_page(javascript=True), sample.findings, javascript=True)
    assert_the_commands_result(site, sample, seen, javascript=True)


# Our red team in the browser, with JavaScript on: the first case of each urgency level in
# each file, so htmx is seen to reach every kind of result from every set. Every case's
# no-JS HTML is walked and compared with the command in triage/tests/test_contract.py, on
# both databases; the browser adds nothing that depends on which case it is.
# The audit's pure walk on the server's own database is what its pages must show.
def _first_of_each_level() -> list[reference_cases.Case]:
    chosen: dict[tuple[str, str], reference_cases.Case] = {}
    for reference in reference_cases.load_cases():
        if reference.kind != "sample":
            chosen.setdefault((str(reference.file), reference.expect), reference)
    return list(chosen.values())


RED_TEAM = _first_of_each_level()


@functools.cache
def audited(site: Site) -> dict[str, dict[str, Any]]:
    """Every case as the audit's pure walk sees it on the server's database (one command)."""
    return dict(json.loads(site.manage("audit_checker", "--cases")))


@pytest.mark.parametrize("reference", RED_TEAM, ids=[c.id for c in RED_TEAM])
def test_a_red_team_case_walked_in_the_browser_gets_the_audits_answer(
    open_page: Callable[..., Any], site: Site, reference: reference_cases.Case
) -> None:
    seen = walk(open_page(javascript=True), reference.findings, javascript=True)
    expected = audited(site)[reference.id]
    assert seen.urgency == expected["urgency"] == reference.expect, seen.headings
    assert sorted(seen.recorded) == sorted(expected["recorded"])
    assert seen.conditions == expected["causes"][: len(seen.conditions)]
    assert set(seen.conditions[:3]) & set(reference.causes), (seen.conditions, reference.causes)
    assert seen.swaps_kept_the_page and all(seen.swaps_kept_the_page)


def covering_samples(site: Site) -> tuple[list[Case], set[str]]:
    """The fewest sample cases that between them reach every checker page the samples reach
    and a result of every urgency (greedy set cover over the audit's pure walk of each, on
    the server's database), and the titles of those pages."""
    walked = audited(site)
    reach = {
        c.id: {*walked[c.id]["pages"], f"result-{walked[c.id]['urgency']}"} for c in sample_cases()
    }
    wanted = set().union(*reach.values())
    chosen: list[Case] = []
    while wanted:
        best = max(sample_cases(), key=lambda c: len(reach[c.id] & wanted))
        chosen.append(best)
        wanted -= reach[best.id]
    pages = {page for c in sample_cases() for page in walked[c.id]["pages"]}
    return chosen, pages


@pytest.mark.parametrize("size", SIZES)
def test_every_checker_page_is_accessible_and_fits(
    open_page: Callable[..., Any],
    screenshot_dir: Path,
    site: Site,
    size: str,
) -> None:
    """Every step (and one with errors), check your answers and a result of each urgency,
    with htmx as most people see them."""
    inspector = Inspector(size, screenshot_dir)
    done: set[str] = set()

    def inspect(page: Any, kind: str) -> None:
        if kind == "question" and "checker-step-with-errors" not in done:
            # The first question sent unanswered: the error summary is a page state too.
            click_continue(page, javascript=True)
            done.add("checker-step-with-errors")
            assert page.locator(".error-summary").count(), "no error summary for no answer"
            inspector.inspect(page, "checker-step-with-errors")
        if kind == "result":
            name = f"checker-result-{page.locator(RESULT).get_attribute('data-urgency')}"
        elif kind == "question":
            # The page title is the step's title (a gateway's heading is its question).
            name = f"checker-step-{page.title().rsplit(' - ', 1)[0]}"
        else:
            name = f"checker-{'check-your-answers' if kind == 'answers' else kind}"
        if name not in done:
            done.add(name)
            inspector.inspect(page, name)

    chosen, steps = covering_samples(site)
    for sample in chosen:  # between them, every conditional step
        walk(open_page(size), sample.findings, javascript=True, on_page=inspect)
    assert {f"checker-step-{title}" for title in steps} <= done
    assert {f"checker-result-{u}" for u in ("emergency", "urgent", "soon", "self-care")} <= done
    assert "checker-check-your-answers" in done
    inspector.assert_no_problems()


FOCUS_STYLE = """(el) => {
  const look = (e) => {
    const s = getComputedStyle(e);
    return {outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
              && s.outlineColor !== "rgba(0, 0, 0, 0)" ? s.outlineStyle + s.outlineWidth
              + s.outlineColor : "",
            shadow: s.boxShadow, background: s.backgroundColor};
  };
  const focused = [look(el), look(el.parentElement)];
  const visible = el.matches(":focus-visible");
  el.blur();
  const plain = [look(el), look(el.parentElement)];
  el.focus();
  const changed = focused.some((f, i) => (f.outline && f.outline !== plain[i].outline)
    || f.shadow !== plain[i].shadow || f.background !== plain[i].background);
  return {visible, changed, back: document.activeElement === el,
          what: el.outerHTML.slice(0, 120)};
}"""

ACTIVE = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
          value: el.value || "", wizard: el.dataset.wizard || "", checked: !!el.checked,
          heading: el.matches("[data-focus-heading], h1"), text: el.innerText || ""};
}"""


def _assert_focus_visible(page: Any) -> None:
    style = page.evaluate_handle("document.activeElement").evaluate(FOCUS_STYLE)
    assert style["back"], f"focus could not be restored to {style['what']}"
    assert style["visible"] and style["changed"], f"focus is not visible on {style['what']}"


def _tab_to(page: Any, want: Callable[[dict[str, Any]], bool], limit: int = 80) -> dict[str, Any]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["tag"] != "body":
            _assert_focus_visible(page)
        if want(active):
            return active
    raise AssertionError(f"Tab never reached the control wanted (last: {active})")


def test_the_checker_can_be_completed_with_the_keyboard_alone(
    open_page: Callable[..., Any], site: Site
) -> None:
    sample = case("R01")
    page = open_page()
    page.goto("/check/")
    _tab_to(page, lambda a: a["wizard"] == "start")
    page.keyboard.press("Enter")
    page.locator(CONTINUE).first.wait_for()
    for _ in range(30):
        page.evaluate("window.__sameDocument = true")
        if page.locator(RESULT).count():
            break
        todo = {
            (o.name, o.value)
            for group in options(page).values()
            for o in wanted(group, sample.findings)
        }
        while True:
            active = _tab_to(
                page,
                lambda a: a["wizard"] == "continue" or a["type"] in {"checkbox", "radio"},
            )
            if active["wizard"] == "continue":
                break
            target = next((v for n, v in todo if n == active["name"]), None)
            if active["type"] == "checkbox" and (active["name"], active["value"]) in todo:
                page.keyboard.press("Space")
            elif active["type"] == "radio" and target is not None:
                # Within a radio group the arrow keys move (Tab leaves the group): the
                # standard pattern, and the only way to reach a later option.
                for _ in range(20):
                    if page.evaluate(ACTIVE)["value"] == target:
                        break
                    page.keyboard.press("ArrowDown")
                page.keyboard.press("Space")
        unticked = [
            f"{n}={v}"
            for n, v in todo
            if not page.locator(f'input[name="{n}"][value="{v}"]').is_checked()
        ]
        assert not unticked, f"keyboard could not tick {unticked} on '{heading(page)}'"
        before = heading(page)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(before) => { const h = document.querySelector('h1');"
            " return h && h.innerText.trim() !== before; }",
            arg=before,
        )
        page.wait_for_function("() => document.activeElement.matches('[data-focus-heading], h1')")
        assert page.evaluate("window.__sameDocument === true"), "Enter reloaded the page"
        focused = page.evaluate(ACTIVE)
        assert focused["heading"], f"after the swap focus is on {focused}, not the new heading"
        assert page.locator(HEADING).first.evaluate("h => h === document.activeElement")
        _assert_focus_visible(page)
    assert page.locator(RESULT).get_attribute("data-urgency") == sample.expect
    assert sample.expect == command_result(site, sample.findings)["urgency"]


def test_the_browser_back_button_returns_to_the_previous_question(
    open_page: Callable[..., Any],
) -> None:
    """htmx pushes each question's URL; Back shows the previous question with its answer
    kept (htmx keeps no copy in localStorage, so the server renders it afresh)."""
    page = open_page(javascript=True)
    page.goto("/check/")
    page.locator(START).click()
    page.locator(CONTINUE).wait_for()
    first, first_url = heading(page), page.url
    for group in options(page).values():
        for option in wanted(group, ()):  # no findings: "None of these"
            option.locator.check()
    click_continue(page, javascript=True)
    second, second_url = heading(page), page.url
    assert (second, second_url) != (first, first_url), "the answer did not move on"

    page.go_back()
    page.wait_for_function("(h) => document.querySelector('h1')?.innerText.trim() === h", arg=first)
    assert page.url == first_url
    assert page.locator("input[value=none]:checked").count() == 1, "the answer was lost"

    click_continue(page, javascript=True)
    assert (heading(page), page.url) == (second, second_url)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_no_at_a_gateway_skips_its_pages_and_back_keeps_the_answer(
    open_page: Callable[..., Any], javascript: bool
) -> None:
    """A person with nothing more to say presses No; Back shows the gateway again with
    their answer, and the count of questions stays honest."""
    page = open_page(javascript=javascript)
    page.goto("/check/")
    page.locator(START).click()
    for _ in range(10):
        page.locator(CONTINUE).first.wait_for()
        if page.locator("[data-wizard=skip]").count():
            break
        for group in options(page).values():
            pick = wanted(group, ("age_16_to_59", "duration_under_1_week", "kind_flicker"))
            for option in pick or group[:1]:
                option.locator.check()
        click_continue(page, javascript=javascript)
    gateway, gateway_url = heading(page), page.url
    assert "other symptoms" in gateway
    assert page.get_by_text(re.compile(r"Question \d+ of about \d+")).count() == 1
    no = page.locator("[data-wizard=skip]")
    if javascript:
        no.click()
        page.wait_for_function(
            "(h) => document.querySelector('h1')?.innerText.trim() !== h", arg=gateway
        )
        page.wait_for_function("() => document.activeElement.matches('[data-focus-heading], h1')")
    else:
        with page.expect_navigation():
            no.click()
    assert "health condition" in heading(page)  # the legs and body pages were skipped
    page.go_back()
    page.wait_for_function(
        "(h) => document.querySelector('h1')?.innerText.trim() === h", arg=gateway
    )
    assert page.url == gateway_url
    assert page.get_by_text("You answered: No").count() == 1
