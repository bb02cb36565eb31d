"""Every content page type, and the admin, in a real browser at phone and desktop sizes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import NARROW, SIZES, Browsing, Site
from .pagecheck import Inspector
from .wizard import case, walk

pytestmark = pytest.mark.browser

# (name, path, expected status). Condition pages: two harmless ones (their most urgent card,
# "get help today" and 999, summed up near the top) and a serious one (all its cards first).
PAGES = [
    ("home", "/", 200),
    ("conditions-a-z", "/conditions/", 200),
    ("condition-leg-cramps", "/conditions/leg-cramps/", 200),
    ("condition-benign-fasciculations", "/conditions/benign-fasciculations/", 200),
    ("condition-deep-vein-thrombosis", "/conditions/deep-vein-thrombosis/", 200),
    ("self-care", "/self-care/", 200),
    ("when-to-get-help", "/when-to-get-help/", 200),
    ("search-results", "/search/?q=cramp", 200),
    ("search-emergency", "/search/?q=chest+pain+and+leg+twitching", 200),
    ("search-nothing-found", "/search/?q=twitchinggggg", 200),
    ("tests-a-doctor-may-do", "/tests-a-doctor-may-do/", 200),
    ("about", "/about/", 200),
    ("editorial-policy", "/about/editorial-policy/", 200),
    ("feedback", "/feedback/?page=/conditions/leg-cramps/&helpful=no", 200),
    ("not-found", "/no-such-page/", 404),
    ("admin-login", "/admin/login/", 200),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("name", "path", "status"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_and_fits(
    open_page: Callable[..., Any],
    screenshot_dir: Path,
    browsing: Browsing,
    name: str,
    path: str,
    status: int,
    size: str,
) -> None:
    page = open_page(size)
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path}: {response}"
    if not path.startswith("/admin/"):  # Django's own admin pages are as Django makes them
        assert page.locator("h1").count() == 1, f"{path} should have exactly one <h1>"
    inspector = Inspector(size, screenshot_dir)
    inspector.inspect(page, name)
    inspector.assert_no_problems()
    browsing.assert_clean()


def test_every_page_type_fits_at_400_percent_zoom(
    open_page: Callable[..., Any], screenshot_dir: Path
) -> None:
    """320 px wide (a 1280 px screen at 400%): no page scrolls sideways and no header link
    or button is cut off; the checker's pages too, from its start to the printable summary."""
    inspector = Inspector(NARROW, screenshot_dir)
    extra = [("privacy", "/privacy/", 200), ("accessibility", "/accessibility/", 200)]
    page = open_page(NARROW)  # one tab visits them all, as a reader would
    for name, path, status in PAGES + extra:
        response = page.goto(path)
        assert response is not None and response.status == status, f"{path}: {response}"
        inspector.inspect(page, name)
    seen: set[str] = set()

    def inspect(page: Any, kind: str) -> None:
        if kind not in seen:
            seen.add(kind)
            inspector.inspect(page, f"checker-{kind}")

    page = open_page(NARROW)
    # Ticked by mouse: at 400% zoom, that each box can be clicked is part of the test.
    walk(page, case("C01").findings, javascript=True, on_page=inspect, by_mouse=True)
    assert seen == {"start", "question", "answers", "result"}
    page.goto(page.locator("a[href$='/check/summary/']").first.get_attribute("href"))
    assert page.locator("h1").count() == 1
    inspector.inspect(page, "checker-summary")
    inspector.assert_no_problems()


def test_the_999_card_of_when_to_get_help_starts_on_the_first_phone_screen(
    open_page: Callable[..., Any],
) -> None:
    page = open_page("phone")
    page.goto("/when-to-get-help/")
    heading = page.locator(".care-card--emergency .care-card__heading")
    assert heading.count() == 1
    box = heading.bounding_box()
    screen = SIZES["phone"]["viewport"]["height"]
    assert box is not None and box["y"] + box["height"] <= screen, (box, screen)
    assert page.locator(".care-card").first.get_attribute("class") == (
        "care-card care-card--emergency"
    )


@functools.cache  # one manage.py run per site, not one per page visited
def _admin_change_path(site: Site) -> str:
    return site.manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.urls import reverse; from content.models import Condition; "
        "print(reverse('admin:content_condition_change', "
        "args=[Condition.objects.get(slug='leg-cramps').pk]))",
    ).strip()


@pytest.mark.parametrize("size", SIZES)
def test_admin_change_page_is_accessible_and_fits(
    open_page: Callable[..., Any], screenshot_dir: Path, site: Site, size: str
) -> None:
    page = open_page(size)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(site.admin_username)
    page.get_by_label("Password").fill(site.admin_password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    response = page.goto(_admin_change_path(site))
    assert response is not None and response.status == 200
    assert page.locator("form#condition_form").count() == 1, "not the condition change form"
    inspector = Inspector(size, screenshot_dir)
    inspector.inspect(page, "admin-change-condition")
    # The whole-revert confirmation, reached from the history page.
    page.goto(_admin_change_path(site).replace("/change/", "/history/"))
    with page.expect_navigation():
        page.locator("#change-history a[href*='/history/']").first.click()
    assert page.locator("form#revert_form").count() == 1, "not the revert page"
    inspector.inspect(page, "admin-revert-condition")
    # The clinical sign-off confirmation (a superuser may sign off); not sent here.
    page.goto(_admin_change_path(site))
    with page.expect_navigation():
        page.get_by_role("link", name="Clinical sign-off").click()
    assert page.locator("form#sign_off_form").count() == 1, "not the sign-off page"
    inspector.inspect(page, "admin-sign-off-condition")
    inspector.assert_no_problems()


def test_the_origin_guard_catches_a_request_to_another_host(
    open_page: Callable[..., Any], browsing: Browsing
) -> None:
    """The guard every browser test relies on does notice another host (and blocks it)."""
    page = open_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto("about:blank")  # no site CSP here to block the request first
    page.set_content('<img src="http://example.invalid/pixel.png" alt="">')
    page.wait_for_load_state()
    assert browsing.offsite == ["http://example.invalid/pixel.png"]
    assert failed == ["http://example.invalid/pixel.png"], "the request was not blocked"
    browsing.offsite.clear()


def test_live_search_shows_the_same_ranked_results_as_the_plain_page(
    open_page: Callable[..., Any],
) -> None:
    """Typing in the box fetches results with htmx; they are the no-JavaScript page's."""
    plain = open_page("phone", javascript=False)
    plain.goto("/search/?q=jumping+legs")
    expected = plain.locator("[data-search-result]").evaluate_all(
        "els => els.map(e => e.dataset.searchResult)"
    )
    assert "restless-legs-syndrome" in expected[:3]
    page = open_page("phone")
    page.goto("/search/")
    page.fill("#search-q", "jumping legs")
    page.wait_for_url(re.compile(r"/search/\?q=jumping(\+|%20)legs$"))  # Back works
    first = page.locator("[data-search-result]").first
    first.wait_for()
    found = page.locator("[data-search-result]").evaluate_all(
        "els => els.map(e => e.dataset.searchResult)"
    )
    assert found == expected
    assert page.locator("#search-results mark").count() > 0
    assert page.locator("h1").count() == 1  # only the results were swapped in
