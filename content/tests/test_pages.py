"""The public pages: every URL answers with one <h1>, conditions show their warnings,
search works with and without htmx, and nothing odd in a request can cause an error."""

from __future__ import annotations

import datetime
import html as html_lib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from content import core_red_flags
from content.models import Condition, Remedy, Seriousness, Status, Urgency
from content.tests.helpers import Elements, make_condition

pytestmark = pytest.mark.django_db

PAGES = [
    "content:home",
    "content:condition_list",
    "content:remedies",
    "content:get_help",
    "content:tests",
    "content:search",
    "content:about",
    "content:privacy",
    "content:disclaimer",
    "content:accessibility",
]


def _html(client: Client, url: str, **kwargs: Any) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/html"), url
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_answers_with_exactly_one_h1_and_a_description(
    client: Client, name: str
) -> None:
    page = Elements(_html(client, reverse(name)))
    assert page.count("h1") == 1
    descriptions = [a for tag, a in page.tags if tag == "meta" and a.get("name") == "description"]
    assert len(descriptions) == 1 and (descriptions[0]["content"] or "").strip()


@pytest.mark.parametrize("query", ["cramp", "leg", "zzzz-nothing", "   "])
def test_search_pages_have_one_h1(client: Client, query: str) -> None:
    assert Elements(_html(client, reverse("content:search"), data={"q": query})).count("h1") == 1


def test_every_published_condition_answers_with_one_h1(client: Client) -> None:
    make_condition("local-test-condition")
    published = list(Condition.objects.published())
    assert published
    for condition in published:
        page = Elements(_html(client, condition.get_absolute_url()))
        assert page.count("h1") == 1, condition.slug


def test_unknown_and_draft_conditions_are_not_found_in_the_sites_design(client: Client) -> None:
    make_condition("secret-draft", status=Status.DRAFT)
    for slug in ["no-such-condition", "secret-draft"]:
        response = client.get(reverse("content:condition", args=[slug]))
        assert response.status_code == 404
        html = response.content.decode()
        assert "Page not found" in html
        assert 'class="site-header"' in html and "css/site.css" in html
        assert Elements(html).count("h1") == 1
        assert "Summary of secret-draft" not in html


def _positions(html: str, *needles: str) -> list[int]:
    positions = [html.find(n) for n in needles]
    assert all(p >= 0 for p in positions), [
        n for n, p in zip(needles, positions, strict=True) if p < 0
    ]
    return positions


def test_a_serious_condition_shows_its_care_cards_before_the_article(client: Client) -> None:
    make_condition(
        "test-serious",
        seriousness=Seriousness.EMERGENCY,
        flags=[
            ("Sudden weakness in both legs", Urgency.EMERGENCY),
            ("A calf that is hot and swollen", Urgency.URGENT),
            ("A twitch for more than 2 weeks", Urgency.SOON),
        ],
    )
    html = _html(client, reverse("content:condition", args=["test-serious"]))
    emergency, urgent, soon, article = _positions(
        html,
        f"Call {settings.EMERGENCY_NUMBER} or go to A&amp;E now if:",
        "Get help today: ask for an urgent GP appointment or call NHS 111 if:",
        "See a GP if:",
        'id="what-it-is"',
    )
    assert emergency < urgent < soon < article
    assert html.find("Sudden weakness in both legs") < html.find("A calf that is hot")


def test_a_harmless_condition_shows_its_full_care_cards_after_the_article(client: Client) -> None:
    make_condition(
        "test-harmless",
        flags=[
            ("Cramps that last over 10 minutes", Urgency.SOON),
            ("A cramp with a hot, swollen calf", Urgency.URGENT),
        ],
    )
    html = _html(client, reverse("content:condition", args=["test-harmless"]))
    article, full_cards = _positions(html, 'id="treatment"', 'id="get-help"')
    assert article < full_cards
    assert html.find("Cramps that last over 10 minutes") > full_cards
    assert "or go to A&amp;E now if:" not in html  # no empty 999 card


def _care_summary(html: str) -> str:
    """The short care card near the top of a page whose full cards come after the article."""
    found: list[str] = re.findall(r'<section class="care-summary".*?</section>', html, re.S)
    assert len(found) == 1, f"{len(found)} care summaries"
    return found[0]


def test_a_harmless_condition_sums_up_its_most_urgent_card_before_the_article(
    client: Client,
) -> None:
    # In the editors' order, not the urgency's: the 999 sign comes last.
    make_condition(
        "test-summary",
        flags=[
            ("A twitch for more than 2 weeks", Urgency.SOON),
            ("A calf that is hot and swollen", Urgency.URGENT),
            ("Sudden trouble breathing", Urgency.EMERGENCY),
            ("Sudden weakness in both legs", Urgency.EMERGENCY),
        ],
    )
    html = _html(client, reverse("content:condition", args=["test-summary"]))
    summary = _care_summary(html)
    assert 'class="care-card care-card--emergency"' in summary
    assert f"Call {settings.EMERGENCY_NUMBER} or go to A&amp;E now if:" in summary
    assert "Sudden trouble breathing" in summary and "Sudden weakness in both legs" in summary
    assert "hot and swollen" not in summary and "2 weeks" not in summary
    assert 'href="#get-help"' in summary
    summary_at, article, full_cards = _positions(
        html, '<section class="care-summary"', 'id="what-it-is"', 'id="get-help"'
    )
    assert summary_at < article < full_cards
    # The full cards still hold every sign, the 999 ones too.
    after = html[full_cards:]
    for sign in ["2 weeks", "hot and swollen", "trouble breathing", "weakness in both legs"]:
        assert sign in after, sign


def test_a_harmless_condition_with_one_level_of_card_shows_it_first_and_once(
    client: Client,
) -> None:
    make_condition("test-one-level", flags=[("Cramps that last over 10 minutes", Urgency.SOON)])
    html = _html(client, reverse("content:condition", args=["test-one-level"]))
    card, article = _positions(html, "Cramps that last over 10 minutes", 'id="what-it-is"')
    assert card < article
    assert html.count("Cramps that last over 10 minutes") == 1
    assert "care-summary" not in html and "#get-help" not in html


_SIGN = re.compile(r"<li>(.*?)</li>", flags=re.S)


def test_every_published_article_sums_up_its_own_most_urgent_red_flags(client: Client) -> None:
    """On the real content: a page without its full cards first names its most urgent level,
    with exactly that level's red flags, and links to the full cards."""
    summed_up = 0
    for condition in Condition.objects.published().prefetch_related("red_flags"):
        flags = list(condition.red_flags.all())
        html = _html(client, condition.get_absolute_url())
        if condition.seriousness != Seriousness.HARMLESS or len({f.urgency for f in flags}) < 2:
            assert "care-summary" not in html, condition.slug
            continue
        summed_up += 1
        most_urgent = max((f.urgency for f in flags), key=Urgency.rank)
        summary = _care_summary(html)
        assert f'class="care-card care-card--{most_urgent}"' in summary, condition.slug
        signs = [html_lib.unescape(s) for s in _SIGN.findall(summary)]
        assert signs == [f.text for f in flags if f.urgency == most_urgent], condition.slug
        assert 'href="#get-help"' in summary and 'id="get-help"' in html, condition.slug
    assert summed_up >= 10  # the harmless articles of the real content


def test_a_condition_page_shows_review_dates_sources_links_and_the_checker(client: Client) -> None:
    condition = make_condition(
        "test-linked",
        other_names="Alpha name, Beta name",
        reviewed_on=datetime.date(2026, 3, 4),
        next_review_due=datetime.date(2029, 3, 4),
    )
    other = make_condition("test-other", name="Other thing")
    condition.related.add(other)
    condition.remedies.add(Remedy.objects.get(slug="stretch-the-muscle"))
    html = _html(client, condition.get_absolute_url())
    assert "checked against NHS guidance on 4 March 2026" in html
    assert "Next review due: 4 March 2029" in html
    assert 'href="https://www.nhs.uk/test-source/"' in html
    assert "Also called: Alpha name, Beta name" in html
    assert f'href="{other.get_absolute_url()}"' in html
    assert f'href="{reverse("triage:start")}"' in html
    assert 'href="/self-care/#stretch-the-muscle"' in html


def test_related_drafts_are_not_linked(client: Client) -> None:
    condition = make_condition("test-with-draft-friend")
    condition.related.add(make_condition("test-draft-friend", status=Status.DRAFT))
    html = _html(client, condition.get_absolute_url())
    assert "/conditions/test-draft-friend/" not in html


def _ld(html: str) -> dict[str, Any]:
    scripts = [t for a, t in Elements(html).scripts if a.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    data: dict[str, Any] = json.loads(scripts[0])
    return data


def test_condition_pages_carry_valid_medical_web_page_json_ld(client: Client) -> None:
    for condition in Condition.objects.published():
        data = _ld(_html(client, condition.get_absolute_url()))
        assert data["@type"] == "MedicalWebPage"
        assert data["about"]["@type"] == "MedicalCondition"
        assert data["about"]["name"] == condition.name
        assert data["reviewedBy"]["@type"] == "Organization"
        if condition.reviewed_on:
            assert data["lastReviewed"] == condition.reviewed_on.isoformat()


def test_json_ld_cannot_be_broken_out_of(client: Client) -> None:
    evil = "</script><script>alert(1)</script> & <!--"
    make_condition("test-evil", name="Evil", summary=evil, other_names=evil)
    html = _html(client, reverse("content:condition", args=["test-evil"]))
    page = Elements(html)
    assert not [
        a
        for tag, a in page.tags
        if tag == "script" and not a.get("src") and a.get("type") != "application/ld+json"
    ]
    data = _ld(html)
    assert data["description"] == evil
    assert data["about"]["alternateName"] == ["</script><script>alert(1)</script> & <!--"]


def test_draft_preview_is_for_editors_only(client: Client) -> None:
    make_condition("test-preview", status=Status.DRAFT, name="Preview me")
    url = reverse("content:condition_preview", args=["test-preview"])

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    staff = User.objects.create_user("nobody", password="x-long-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_condition"))
    client.force_login(User.objects.get(pk=staff.pk))
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft preview" in html and "Preview me" in html
    assert "no-store" in response["Cache-Control"]
    assert Elements(html).count("h1") == 1


def test_a_to_z_groups_by_seriousness_with_harmless_first(client: Client) -> None:
    make_condition("aaa-harmless", name="Aaa harmless")
    make_condition("aaa-emergency", name="Aaa emergency", seriousness=Seriousness.EMERGENCY)
    make_condition("aaa-doctor", name="Aaa doctor", seriousness=Seriousness.DOCTOR)
    make_condition("aaa-draft", name="Aaa draft", status=Status.DRAFT)
    html = _html(client, reverse("content:condition_list"))
    harmless, doctor, emergency = _positions(html, "Aaa harmless", "Aaa doctor", "Aaa emergency")
    assert harmless < doctor < emergency
    assert "Aaa draft" not in html
    assert "?letter=A" in html


def test_a_to_z_letter_filter_and_pages(client: Client) -> None:
    for i in range(105):
        make_condition(f"qq-{i:03}", name=f"Qq condition {i:03}")
    first = _html(client, reverse("content:condition_list"), data={"letter": "q"})
    assert "Qq condition 000" in first and "Qq condition 104" not in first
    assert "Leg cramps" not in first
    assert "page=2" in first
    second = _html(client, reverse("content:condition_list"), data={"letter": "q", "page": "2"})
    assert "Qq condition 104" in second and "Qq condition 000" not in second
    # A nonsense page number shows a page instead of an error.
    assert _html(client, reverse("content:condition_list"), data={"page": "x"})


def test_the_a_to_z_shows_an_edit_at_once(client: Client) -> None:
    """The list is kept per content version in each process (condition_cache.az_list):
    a rename or an unpublished condition shows on the next view."""
    condition = make_condition("zz-kept", name="Zz kept")
    url = reverse("content:condition_list")
    assert "Zz kept" in _html(client, url, data={"letter": "z"})
    condition.name = "Zz renamed"
    condition.save()
    html = _html(client, url, data={"letter": "z"})
    assert "Zz renamed" in html and "Zz kept" not in html
    condition.status = Status.DRAFT
    condition.save()
    assert "Zz renamed" not in _html(client, url, data={"letter": "z"})


def test_self_care_page_groups_remedies_with_anchors(client: Client) -> None:
    html = _html(client, reverse("content:remedies"))
    immediate, long_term, see_a_doctor = _positions(
        html, 'id="immediate"', 'id="long-term"', 'id="see-a-doctor"'
    )
    assert immediate < long_term < see_a_doctor
    assert 'id="stretch-the-muscle"' in html
    assert reverse("content:condition", args=["leg-cramps"]) in html


def test_tests_page_lists_every_test_with_an_anchor(client: Client) -> None:
    html = _html(client, reverse("content:tests"))
    for slug in ["blood-tests", "emg", "nerve-conduction-study", "eeg", "mri-scan", "ct-scan",
                 "doppler-ultrasound", "lumbar-puncture", "sleep-study", "urine-test"]:  # fmt: skip
        assert f'id="{slug}"' in html
    assert reverse("content:condition", args=["leg-cramps"]) in html


def test_when_to_get_help_has_the_briefs_signs_and_every_articles_red_flags(
    client: Client,
) -> None:
    shared = "Test sign shared by two pages"
    make_condition("help-one", name="Help one", flags=[(shared, Urgency.URGENT)])
    make_condition("help-two", name="Help two", flags=[(shared + ".", Urgency.URGENT)])
    make_condition("help-draft", status=Status.DRAFT, flags=[("Draft-only sign", Urgency.SOON)])
    html = _html(client, reverse("content:get_help"))
    emergency, urgent, soon = _positions(
        html, "Immediate action required", "Urgent advice", "Non-urgent advice"
    )
    assert emergency < urgent < soon
    assert html.count(shared) == 1
    assert "/conditions/help-one/" in html and "/conditions/help-two/" in html
    assert "Draft-only sign" not in html
    assert core_red_flags.EMERGENCY[0] in html
    assert html.find(core_red_flags.EMERGENCY[0]) < urgent < html.find(shared)


def test_home_page_points_to_the_checker_and_emergency_signs(client: Client) -> None:
    html = _html(client, reverse("content:home"))
    assert f'href="{reverse("triage:start")}"' in html
    assert f'href="{reverse("content:get_help")}"' in html
    assert "Immediate action required" in html
    assert reverse("content:condition", args=["leg-cramps"]) in html


# ---- search ----


def test_search_with_htmx_returns_only_the_results(client: Client) -> None:
    response = client.get(
        reverse("content:search"), data={"q": "cramp"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert "<html" not in html and "<h1" not in html
    assert 'data-search-result="leg-cramps"' in html
    full = client.get(reverse("content:search"), data={"q": "cramp"})
    assert "HX-Request" in full["Vary"]
    form = Elements(full.content.decode())
    search_box = next(a for tag, a in form.tags if tag == "input" and a.get("id") == "search-q")
    assert search_box["hx-get"] == reverse("content:search")
    assert search_box["hx-target"] == "#search-results"
    assert search_box["hx-push-url"] == "true"
    assert 'id="search-results"' in full.content.decode()


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_an_empty_search_gives_help_not_an_error(client: Client, query: str) -> None:
    html = _html(client, reverse("content:search"), data={"q": query})
    assert "Type a word or two" in html


@pytest.mark.parametrize(
    "raw",
    [
        "q=%00",
        "q=%ff%fe%fd",
        "q=cramp%00night",
        "q=%25%5F%5C",
        "q=' OR 1=1 --",
        "q=<script>alert(1)</script>",
        "q=%E2%80%AE%F0%9F%98%80",
        "q=a&q=b",
        "q=cramp&page=999",
        "q=cramp&page=-1",
        "q[]=x",
    ],
)
def test_odd_search_input_never_errors(client: Client, raw: str) -> None:
    response = client.get(f"{reverse('content:search')}?{raw}")
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()


def test_a_very_long_query_is_cut_short(client: Client) -> None:
    html = _html(client, reverse("content:search"), data={"q": "cramp" + "x" * 5000})
    box = next(a for tag, a in Elements(html).tags if tag == "input" and a.get("id") == "search-q")
    assert len(box["value"] or "") == 100  # the longest query we search for


def test_search_queries_do_not_grow_with_results(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for i in range(45):
        make_condition(f"many-{i}", name=f"Manything {i}")
    _html(client, reverse("content:search"), data={"q": "cramp"})  # the index, read once
    with django_assert_max_num_queries(4):
        html = _html(client, reverse("content:search"), data={"q": "manything"})
    assert "45 pages found" in html
    assert html.count("/conditions/many-") == 20  # one page of results


# ---- sitemap and robots ----


def test_sitemap_lists_published_conditions_and_pages_but_not_drafts(client: Client) -> None:
    make_condition("sitemap-draft", status=Status.DRAFT)
    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    for condition in Condition.objects.published():
        assert condition.get_absolute_url() in xml
    assert reverse("content:remedies") in xml
    assert "sitemap-draft" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_admin(client: Client) -> None:
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert re.search(r"^Sitemap: http://testserver/sitemap\.xml$", text, re.M)


# ---- templates obey the Content Security Policy ----

MY_TEMPLATES = [
    *Path(settings.BASE_DIR, "templates/content").glob("*.html"),
    *Path(settings.BASE_DIR, "templates/pages").glob("*.html"),
    Path(settings.BASE_DIR, "templates/404.html"),
    Path(settings.BASE_DIR, "templates/500.html"),
]


@pytest.mark.parametrize("path", MY_TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_style_or_handlers(path: Path) -> None:
    text = path.read_text()
    assert "<style" not in text and " style=" not in text
    assert not re.search(r"\son[a-z]+=", text)
    for tag in re.findall(r"<script[^>]*>", text):
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag
