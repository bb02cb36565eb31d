"""Drive the symptom checker the way docs/checker-contract.md describes, from the HTML alone."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from django.conf import settings

from .conftest import Site

START = "[data-wizard=start]"
CONTINUE = "button[type=submit][data-wizard=continue]"
RESULT = "[data-urgency]"
OPTIONS = "form input[type=checkbox], form input[type=radio]"
HEADING = "[data-focus-heading], h1"
MAX_PAGES = 30


@dataclass(frozen=True)
class Case:
    id: str
    expect: str
    findings: tuple[str, ...]
    causes: tuple[str, ...]


@cache
def cases(name: str = "*") -> tuple[Case, ...]:
    """The reference cases of triage/cases/NAME.yaml (every file by default)."""
    return tuple(
        Case(c["id"], c["expect"], tuple(c["findings"]), tuple(c["causes"]))
        for path in sorted((settings.BASE_DIR / "triage/cases").glob(f"{name}.yaml"))
        for c in yaml.safe_load(path.read_text())
    )


def sample_cases() -> tuple[Case, ...]:
    return cases("samples")


def case(case_id: str) -> Case:
    return next(c for c in cases() if c.id == case_id)


_COMMAND_RESULTS: dict[tuple[Site, tuple[str, ...]], dict[str, Any]] = {}
# The triage command on a list of findings sets, one JSON line each: one Django start-up
# (a second or more) for many sets, not one per set.
_TRIAGE_EACH = """import io, json
from django.core.management import call_command
for codes in json.loads({batch!r}):
    out = io.StringIO()
    call_command("triage", "--findings", ",".join(codes), "--json", stdout=out)
    print(out.getvalue().strip())
"""


def command_result(site: Site, findings: tuple[str, ...]) -> dict[str, Any]:
    """What `manage.py triage --json` says for these findings, on the server's database.
    The first call asks for every sample case's findings too, in the same run."""
    if (site, findings) not in _COMMAND_RESULTS:
        batch = list(dict.fromkeys([findings, *(c.findings for c in sample_cases())]))
        batch = [codes for codes in batch if (site, codes) not in _COMMAND_RESULTS]
        code = _TRIAGE_EACH.format(batch=json.dumps(batch))
        lines = site.manage("shell", "--no-imports", "-c", code).splitlines()
        assert len(lines) == len(batch), lines
        for codes, line in zip(batch, lines, strict=True):
            _COMMAND_RESULTS[site, codes] = dict(json.loads(line))
    return _COMMAND_RESULTS[site, findings]


def assert_the_commands_result(site: Site, sample: Case, seen: Walk, *, javascript: bool) -> None:
    """A sample case's walk in the browser got the command's result: its urgency, and the
    causes the command ranks for what the page was told, in its order; with JavaScript on,
    every step an htmx swap of the same page, and with it off, no htmx request at all."""
    expected = command_result(site, sample.findings)
    assert seen.urgency == expected["urgency"] == sample.expect, seen.headings
    assert seen.conditions, "the result names no likely causes"
    # The page ranks what the person told it: the command on the same findings gives the
    # same causes in the same order. (An emergency sign ends the questions early, so the
    # page may know fewer findings than the case lists.)
    given = command_result(site, tuple(seen.recorded))
    assert seen.urgency == given["urgency"]
    assert seen.conditions == given["conditions"][: len(seen.conditions)], (
        f"the result page's causes {seen.conditions} are not the command's, in its order: "
        f"{given['conditions']}"
    )
    for ranking in (seen.conditions, expected["conditions"]):
        assert set(ranking[:3]) & set(sample.causes), (ranking[:3], sample.causes)
    if javascript:
        assert seen.htmx_requests >= len(seen.headings) - 1, "steps were not htmx requests"
        assert seen.swaps_kept_the_page and all(seen.swaps_kept_the_page), (
            f"a step reloaded the whole page instead of swapping: {seen.swaps_kept_the_page}"
        )
    else:
        assert seen.htmx_requests == 0


@dataclass
class Option:
    name: str
    value: str
    kind: str
    locator: Any
    index: int  # among the page's OPTIONS


# Ticks a step's chosen boxes in one round trip (a Playwright check() per box is several),
# after the checks Playwright makes before a click: visible, enabled, and the box itself
# under the middle of it once scrolled into view. Returns what went wrong, box by box.
TICK = """(els, picks) => picks.map((i) => {
  const el = els[i];
  const what = `${el.name}=${el.value}`;
  el.scrollIntoView({block: "center", inline: "nearest"});
  const box = el.getBoundingClientRect();
  if (!box.width || !box.height || getComputedStyle(el).visibility !== "visible") {
    return `${what} is not visible`;
  }
  if (el.disabled) return `${what} is disabled`;
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  if (hit !== el) return `${what} is covered by ${hit ? hit.outerHTML.slice(0, 80) : "nothing"}`;
  if (!el.checked) el.click();
  return el.checked ? "" : `${what} did not tick`;
}).filter(Boolean)"""


def options(page: Any) -> dict[str, list[Option]]:
    """This page's answer options, by group (input name), in page order."""
    found = page.locator(OPTIONS)
    # One round trip for every input's attributes: a page has up to a hundred options.
    attributes = found.evaluate_all(
        "els => els.map(e => [e.getAttribute('name') || '', e.getAttribute('value') || '',"
        " e.getAttribute('type') || ''])"
    )
    return grouped(attributes, found)


def grouped(attributes: list[list[str]], found: Any) -> dict[str, list[Option]]:
    """The options by group (input name), in page order, from each one's name, value and
    type as read from the page; `found` is the locator of them all (OPTIONS)."""
    groups: dict[str, list[Option]] = {}
    for i, (name, value, kind) in enumerate(attributes):
        groups.setdefault(name, []).append(Option(name, value, kind, found.nth(i), i))
    return groups


def wanted(group: list[Option], findings: tuple[str, ...]) -> list[Option]:
    """The case's findings in this group, or its `none` option when nothing matches."""
    matches = [o for o in group if o.value in findings]
    if group[0].kind == "radio":
        matches = matches[:1]
    return matches or [o for o in group if o.value == "none"]


def heading(page: Any) -> str:
    return str(page.locator("h1").first.inner_text()).strip()


@dataclass
class Walk:
    """What a walk through the wizard saw."""

    urgency: str = ""
    conditions: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    htmx_requests: int = 0
    swaps_kept_the_page: list[bool] = field(default_factory=list)
    # The findings actually given: fewer than the case's when an emergency sign ends the
    # questions early (clinical brief, rule 2).
    recorded: list[str] = field(default_factory=list)


def click_continue(page: Any, *, javascript: bool) -> None:
    """Press `data-wizard=continue` and wait for the next page (or htmx swap) to settle."""
    button = page.locator(CONTINUE)
    if not javascript:
        with page.expect_navigation():
            button.click()
        return
    page.evaluate(f"window.__pressed = document.querySelector({json.dumps(CONTINUE)})")
    button.click()
    # The pressed button detached by the swap and htmx done, in one wait; a full page load
    # replaces the window instead (the walk's marker check tells the two apart).
    page.wait_for_function(
        "() => !(window.__pressed && window.__pressed.isConnected)"
        " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.wait_for_load_state()


# What the walk reads of each page, in one round trip rather than one per fact: the first
# <h1>'s text (as heading() reads it), the error summary's text, the same-document
# marker (read, then set with JavaScript on), whether it is a result, a gateway's skip
# button, and every option's name, value and type (as options() reads them).
STATE = """([js, options]) => {
  const h1 = document.querySelector("h1");
  const same = window.__sameDocument === true;
  if (js) window.__sameDocument = true;
  return {
    heading: h1 ? h1.innerText : null,
    errors: [...document.querySelectorAll(".error-summary, [role=alert]")]
      .map((e) => e.innerText).join(" / "),
    same,
    results: document.querySelectorAll("[data-urgency]").length,
    skip: document.querySelectorAll("[data-wizard=skip]").length,
    options: [...document.querySelectorAll(options)].map((e) => [e.getAttribute("name") || "",
      e.getAttribute("value") || "", e.getAttribute("type") || ""]),
  };
}"""


def walk(
    page: Any,
    findings: tuple[str, ...],
    *,
    javascript: bool,
    on_page: Callable[[Any, str], None] | None = None,
    by_mouse: bool = False,
) -> Walk:
    """Start at /check/, answer every page as the contract says, stop at the result.

    `on_page(page, kind)` is called on the start page, each question page ("question"),
    the check-your-answers page ("answers") and the result ("result"). The boxes of a
    page are ticked together (TICK), or `by_mouse` one by one with Playwright's check().
    """
    seen = Walk()
    page.on(
        "request",
        lambda r: (
            setattr(seen, "htmx_requests", seen.htmx_requests + 1)
            if r.headers.get("hx-request") == "true"
            else None
        ),
    )
    page.goto("/check/")
    if on_page:
        on_page(page, "start")
    start = page.locator(START)
    assert start.count() == 1, "the start page has no single [data-wizard=start]"
    start.click()  # a link or a form: the wait below covers a page load or an htmx swap
    found = page.locator(OPTIONS)
    for _ in range(MAX_PAGES):
        page.locator(f"{CONTINUE}, {RESULT}").first.wait_for()
        state = page.evaluate(STATE, [javascript, OPTIONS])
        assert state["heading"] is not None, f"a page with no <h1> after {seen.headings}"
        if seen.headings:  # the answers just sent were taken: the page moved on
            before = seen.headings[-1]
            problem = state["errors"]
            assert not problem or state["heading"].strip() != before, (
                f"'{before}' refused the answers: {problem}"
            )
        seen.headings.append(state["heading"].strip())
        if javascript and len(seen.headings) > 1:
            seen.swaps_kept_the_page.append(state["same"])
        if state["results"]:
            break
        groups = grouped(state["options"], found)
        if on_page:
            # A gateway asks with two buttons (Yes is "continue"), no boxes.
            on_page(page, "question" if groups or state["skip"] else "answers")
        chosen = [option for group in groups.values() for option in wanted(group, findings)]
        if by_mouse:
            for option in chosen:
                option.locator.check()
        elif chosen:
            problems = found.evaluate_all(TICK, [o.index for o in chosen])
            assert not problems, f"'{seen.headings[-1]}': {problems}"
        seen.recorded += [option.value for option in chosen if option.value != "none"]
        click_continue(page, javascript=javascript)
    else:
        raise AssertionError(f"no result after {MAX_PAGES} pages: {seen.headings}")
    found = page.locator(RESULT).evaluate_all(
        "(els) => [els.length, els.length ? els[0].getAttribute('data-urgency') : null,"
        " [...document.querySelectorAll('[data-condition]')]"
        ".map((c) => c.getAttribute('data-condition'))]"
    )
    count, urgency, conditions = found
    assert count == 1, "the result page must have exactly one [data-urgency]"
    seen.urgency = urgency or ""
    seen.conditions = [c or "" for c in conditions]
    if on_page:
        on_page(page, "result")
    return seen
