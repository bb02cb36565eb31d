"""The editorial policy page (/about/editorial-policy/): how we write, review, correct and
test, and who we are, in plain words; linked from the site's footer and every article."""

from __future__ import annotations

import re
from html import unescape

import pytest
import textstat
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/about/editorial-policy/"
MAX_GRADE = 6.5  # the articles' median (content/tests/test_articles.py)


def _main_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    # Each list item is a sentence of its own.
    return " ".join(unescape(text).split())


def test_the_policy_page_says_what_a_reader_needs_to_trust_the_site(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for heading in [
        "How we write",
        "How we check a page",
        "How often we review pages",
        "How we fix mistakes",
        "How we test the symptom checker",
        "Who we are",
    ]:
        assert f">{heading}</h2>" in html, heading
    text = _main_text(html)
    assert "reading age of about 11" in text
    assert "at least once every 3 years" in text
    assert "sooner when the NHS or NICE change their advice" in text
    assert '"Was this page helpful?" Choose No.' in text
    assert "no clinician has reviewed it yet" in text
    assert "small team" in text
    assert f'href="{reverse("triage:audit")}"' in html


def test_the_policy_page_is_plain(client: Client) -> None:
    text = _main_text(client.get(URL).content.decode())
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"Flesch-Kincaid grade {grade}"


def test_the_policy_page_is_in_the_sitemap_and_every_pages_footer(client: Client) -> None:
    assert f"{URL}</loc>" in client.get("/sitemap.xml").content.decode()
    for page in ["/", "/conditions/", "/about/", "/check/how-we-test/"]:
        html = client.get(page).content.decode()
        footer = html[html.index('<footer class="site-footer"') :]
        assert f'href="{URL}"' in footer, page
