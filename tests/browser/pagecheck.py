"""What every page must pass in the browser: axe-core, no sideways scrolling, no header cut
off; a screenshot of every page with a problem (of every page if TWITCH_SCREENSHOT_DIR is set)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

AXE_JS: Path = settings.BASE_DIR / "node_modules/axe-core/axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no separate `wcag22a` tag).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Null if this document has no axe yet (it is injected once per document: an htmx swap keeps
# it). Only violations are reported in full (resultTypes): axe still runs every rule on every
# element, but skips building selectors and HTML for each element that passes, most of its
# time on a long page; the violations, every node of them, are the same.
AXE_RUN = """async (tags) => {
  if (typeof axe === "undefined") return null;
  // No preload: axe would copy stylesheets into inline <style> elements, which the site's
  // CSP rightly blocks (and the test would report as the site's CSP error).
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, preload: false,
                                           resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ") + "  " + (n.failureSummary || "")
      .replace(/\\s+/g, " ")),
  }));
}"""
# Elements sticking out of the viewport, to say what overflows, not only that something does.
WIDER_THAN_VIEWPORT = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.className && typeof el.className === "string" ? "." + el.className.trim()
          .split(/\\s+/).join(".") : "") + " right=" + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width,
          wide: out.slice(0, 8)};
}"""


# Header links and buttons cut off: their text wider than their box, or the box past the
# screen's edge (the Search button once showed "Searc" at 320 px).
CLIPPED_IN_HEADER = """() => [...document.querySelectorAll(
    ".site-header a, .site-header button, .site-nav a")].filter((el) => {
  const box = el.getBoundingClientRect();
  return (el.clientWidth && el.scrollWidth > el.clientWidth + 1) || box.left < -0.5
    || box.right > window.innerWidth + 0.5;
}).map((el) => el.outerHTML.slice(0, 80))"""
# The viewport width each size checks pages against for sideways scrolling.
FIT_WIDTHS = {"phone": 390, "narrow": 320}


def every_screenshot() -> bool:
    """Screenshots of every page checked, not only of those with a problem: if
    TWITCH_SCREENSHOT_DIR names where to keep them."""
    return bool(os.environ.get("TWITCH_SCREENSHOT_DIR"))


@cache
def axe_source() -> str:
    return AXE_JS.read_text()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    violations = page.evaluate(AXE_RUN, AXE_TAGS)
    if violations is None:  # a new document: axe (650 kB) is sent and parsed once for it
        # page.evaluate runs over the DevTools protocol, which the site's CSP (no inline or
        # injected scripts) does not apply to; add_script_tag would be blocked by it.
        page.evaluate(axe_source())
        violations = page.evaluate(AXE_RUN, AXE_TAGS)
    return list(violations)


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['id']}] ({v['impact']}) {v['help']}")
        lines.extend(f"      {node}" for node in v["nodes"][:6])
    return "\n".join(lines)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "page"


@dataclass
class Inspector:
    """Checks pages and collects every problem, so one run reports all of them."""

    size: str
    screenshots: Path
    problems: list[str] = field(default_factory=list)

    def inspect(self, page: Any, name: str) -> None:
        found = len(self.problems)
        self._check(page, name)
        # A full-page screenshot costs as much as the checks: only of a page with a problem,
        # to see it, unless every page's is asked for.
        if len(self.problems) > found or every_screenshot():
            page.screenshot(
                path=self.screenshots / f"{slug(name)}-{self.size}.png", full_page=True, scale="css"
            )

    def _check(self, page: Any, name: str) -> None:
        violations = axe_violations(page)
        if violations:
            self.problems.append(
                f"{name} ({self.size}, {page.url}): axe found {len(violations)} WCAG "
                f"A/AA violation(s):\n{describe(violations)}"
            )
        if width := FIT_WIDTHS.get(self.size):
            fit = page.evaluate(WIDER_THAN_VIEWPORT)
            if fit["scrollWidth"] > fit["innerWidth"] or fit["innerWidth"] != width:
                self.problems.append(
                    f"{name} ({self.size}, {page.url}) scrolls sideways: scrollWidth "
                    f"{fit['scrollWidth']} > innerWidth {fit['innerWidth']} (viewport "
                    f"{width}); widest: {fit['wide']}"
                )
        if clipped := page.evaluate(CLIPPED_IN_HEADER):
            self.problems.append(f"{name} ({self.size}, {page.url}): header cut off: {clipped}")

    def assert_no_problems(self) -> None:
        assert not self.problems, "\n\n".join(self.problems)
