"""No inline script or style anywhere, so the strict Content-Security-Policy breaks nothing
and injected markup cannot run. Checked on every rendered page and in every template file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.security.conftest import admin_pages
from tests.security.pages import (
    CHOOSERS,
    FIXED_PAGES,
    InlineFinder,
    checker_responses,
    inline_problems,
    require_checker,
    sitemap_paths,
)

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_the_finder_catches_what_it_should() -> None:
    bad = (
        '<script>alert(1)</script><style>p{}</style><p style="x">'
        '<a onclick="x" href="javascript:x">'
        '<script type="application/ld+json">{not json</script>'
    )
    assert len(inline_problems(bad)) == 6
    good = (
        '<script src="/static/js/site.js" defer></script>'
        '<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>'
        '<p class="x" data-on="y">only ordinary attributes</p>'
    )
    assert inline_problems(good) == []


@pytest.mark.django_db
def test_no_public_page_has_inline_script_or_style(client: Client) -> None:
    paths = [*FIXED_PAGES, *sitemap_paths(client)]
    for path in paths:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        assert inline_problems(response.content.decode()) == [], path


@pytest.mark.django_db
def test_no_checker_page_has_inline_script_or_style(client: Client) -> None:
    require_checker(client)
    responses = checker_responses(client, CHOOSERS)
    pages = [r for r in responses if r.status_code == 200]
    assert any("data-urgency" in r.content.decode() for r in pages)
    for response in pages:
        where = response.wsgi_request.get_full_path()
        assert inline_problems(response.content.decode()) == [], where


@pytest.mark.django_db
def test_no_htmx_partial_has_inline_script_or_style(client: Client) -> None:
    """What htmx swaps in is HTML too, and goes through the same policy."""
    htmx = Client(headers={"HX-Request": "true"})
    for path in [*FIXED_PAGES, *sitemap_paths(client)[:5]]:
        assert inline_problems(htmx.get(path).content.decode()) == [], path


@pytest.mark.django_db
def test_the_admin_pages_editors_use_have_no_inline_script_or_style(
    editor_client: Client, editor: User
) -> None:
    for path in admin_pages(editor):
        response = editor_client.get(path)
        assert response.status_code == 200, path
        assert inline_problems(response.content.decode()) == [], path
    assert inline_problems(Client().get("/admin/login/").content.decode()) == []


# Django template syntax removed before parsing, so `{% if %}` inside a tag is harmless.
TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt", ".xml"})


def test_no_template_file_has_inline_script_or_style() -> None:
    files = template_files()
    assert len(files) >= 10
    for path in files:
        text = TEMPLATE_TAGS.sub("", path.read_text(encoding="utf-8"))
        problems = [p for p in inline_problems(text) if "not valid JSON" not in p]
        assert problems == [], path.relative_to(TEMPLATES)


@pytest.mark.django_db
def test_htmx_is_configured_for_the_strict_policy(client: Client) -> None:
    finder = InlineFinder()
    finder.feed(client.get("/check/").content.decode())  # base.html's, as every page has it
    config = json.loads(finder.metas["htmx-config"])
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert config["historyCacheSize"] == 0  # no copies of answers kept in localStorage
    assert config["allowScriptTags"] is False


@pytest.mark.django_db
def test_every_page_loads_htmx_from_our_own_origin(client: Client) -> None:
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    assert scripts and all(src.startswith("/static/") for src in scripts), scripts
