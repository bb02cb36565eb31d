"""Every article and the checker's result ask "Was this page helpful?" with two plain links,
and the articles stay in the page cache: the links carry no form and no CSRF token."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.pages import checker_responses, require_checker, sitemap_paths

from .conftest import ARTICLE

pytestmark = pytest.mark.django_db
GUIDES = ["/self-care/", "/when-to-get-help/", "/tests-a-doctor-may-do/"]


def feedback_links(html: str) -> dict[str, str]:
    """helpful value -> the page each "Was this page helpful?" link is about."""
    block = re.search(r'<div id="feedback".*?</div>', html, re.S)
    assert block, "no 'Was this page helpful?' on the page"
    assert "<form" not in block.group() and "csrfmiddlewaretoken" not in block.group()
    links = {}
    for href in re.findall(r'<a [^>]*href="(/feedback/[^"]*)"', block.group()):
        query = parse_qs(urlsplit(unescape(href)).query)
        links[query["helpful"][0]] = query["page"][0]
    return links


def article_paths(client: Client) -> list[str]:
    return [p for p in sitemap_paths(client) if p.startswith("/conditions/") and p.count("/") == 3]


def test_every_article_asks_with_yes_and_no_links_about_itself(client: Client) -> None:
    paths = [*article_paths(client), *GUIDES]
    assert len(paths) >= 40
    for path in paths:
        html = client.get(path).content.decode()
        assert "Was this page helpful?" in html, path
        assert feedback_links(html) == {"yes": path, "no": path}, path


def test_the_links_lead_to_the_form_with_the_answer_chosen(client: Client) -> None:
    html = client.get(ARTICLE).content.decode()
    href = unescape(re.findall(r'href="(/feedback/\?[^"]*helpful=no)"', html)[0])
    form = client.get(href).content.decode()
    assert re.search(r'value="no" checked', form)
    assert f'name="page" value="{ARTICLE}"' in form


@pytest.mark.parametrize("path", [ARTICLE, *GUIDES])
def test_articles_with_the_links_are_still_served_from_the_page_cache(
    client: Client, path: str
) -> None:
    first = client.get(path)
    assert not first.cookies  # no CSRF token was used, no cookie set
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    # Only the content version is read: the page came from the page cache (built, it
    # takes several queries; tests/performance/test_page_cache.py).
    assert len(queries) == 1
    assert second.content == first.content


def test_a_draft_preview_does_not_ask(editor_client: Client) -> None:
    html = editor_client.get(f"{ARTICLE}preview/").content.decode()
    assert "Was this page helpful?" not in html


def test_the_checkers_result_asks_about_its_fixed_address_only(client: Client) -> None:
    require_checker(client)
    result = checker_responses(client)[-1]
    assert b"data-urgency" in result.content
    assert feedback_links(result.content.decode()) == {
        "yes": "/check/result/",
        "no": "/check/result/",
    }
