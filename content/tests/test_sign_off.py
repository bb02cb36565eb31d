"""Honest editorial status: every article's byline says who wrote it and what it was checked
against; "Reviewed by NAME, ROLE on DATE" shows only while a Clinical reviewer's sign-off
of that exact version stands (content/models.py ClinicalSignOff, the admin's "Clinical
sign-off"). Pages are read as a reader gets them, past the page cache and the kept
condition pages, so a sign-off and an edit must each show at once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from content.models import ClinicalSignOff, Condition, RedFlag, Source
from content.tests.helpers import TODAY, Elements, FormData, make_condition

pytestmark = pytest.mark.django_db

NOT_REVIEWED = "No clinician, such as a doctor or nurse, has reviewed this page yet."
URL = "/conditions/leg-cramps/"


def staff(username: str, group: str | None = None, **extra: Any) -> Client:
    user = User.objects.create_user(
        username, password="a-long-test-passphrase", is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def reader_html(url: str = URL) -> str:
    """The page as a reader without cookies gets it (through the page cache)."""
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def byline(html: str) -> str:
    start = html.index('<footer class="byline')
    return " ".join(html[start : html.index("</footer>", start)].split())


def sign_off_url(condition: Condition) -> str:
    return reverse("admin:content_condition_sign_off", args=[condition.pk])


def sign_off(client: Client, condition: Condition, name: str, role: str) -> str:
    """Open the confirmation page, fill in name and role, send; the message shown after."""
    page = client.get(sign_off_url(condition))
    assert page.status_code == 200
    data = FormData(page.content.decode(), "sign_off_form").data
    data.update(name=[name], role=[role])
    response = client.post(sign_off_url(condition), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "admin:content_condition_change", args=[condition.pk]
    )
    return " ".join(response.content.decode().split())


def today() -> str:
    return dateformat.format(timezone.localdate(), "j F Y")


def test_the_byline_names_the_team_and_its_sources_publishers_and_the_review_date() -> None:
    condition = make_condition("byline-test")  # one NHS source, reviewed 1 January 2026
    condition.sources.add(
        Source.objects.create(
            slug="byline-nice",
            publisher="NICE",
            title="A NICE page",
            url="https://www.nice.org.uk/byline/",
            accessed_on=TODAY,
        )
    )
    line = byline(reader_html(condition.get_absolute_url()))
    assert (
        f"Written by the {settings.SITE_NAME} editorial team and checked against NHS and NICE "
        "guidance on 1 January 2026." in line
    )
    assert 'href="/about/editorial-policy/"' in line


def test_every_published_article_says_no_clinician_has_reviewed_it_without_a_sign_off() -> None:
    for condition in Condition.objects.published():
        line = byline(reader_html(condition.get_absolute_url()))
        assert f"Written by the {settings.SITE_NAME} editorial team and checked against" in line
        assert "Reviewed by" not in line, condition.slug
        assert NOT_REVIEWED in line, condition.slug
        assert 'href="/about/editorial-policy/"' in line, condition.slug


def test_a_clinical_reviewers_sign_off_shows_on_the_page_at_once() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    assert NOT_REVIEWED in reader_html()  # kept and cached before the sign-off
    reviewer = staff("reviewer", "Clinical reviewers", first_name="Sam", last_name="Patel")
    change = reviewer.get(reverse("admin:content_condition_change", args=[condition.pk]))
    assert sign_off_url(condition) in change.content.decode()  # the way to it

    message = sign_off(reviewer, condition, "Dr Sam Patel", "GP")
    assert f"Reviewed by Dr Sam Patel, GP on {today()}" in message

    html = reader_html()
    assert f"Reviewed by Dr Sam Patel, GP on {today()}." in byline(html)
    assert NOT_REVIEWED not in html
    scripts = [t for a, t in Elements(html).scripts if a.get("type") == "application/ld+json"]
    assert json.loads(scripts[0])["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr Sam Patel",
        "jobTitle": "GP",
    }


def test_the_confirmation_page_offers_the_reviewers_name_and_signs_nothing_itself() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    reviewer = staff("reviewer", "Clinical reviewers", first_name="Sam", last_name="Patel")
    page = reviewer.get(sign_off_url(condition)).content.decode()
    assert FormData(page, "sign_off_form").data["name"] == ["Sam Patel"]
    assert 'method="post"' in page and "csrfmiddlewaretoken" in page
    assert not ClinicalSignOff.objects.exists()


def test_a_sign_off_needs_the_csrf_token() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    reviewer = staff("reviewer", "Clinical reviewers")
    page = reviewer.get(sign_off_url(condition)).content.decode()
    data = FormData(page, "sign_off_form").data
    data.update(name=["Dr Sam Patel"], role=["GP"])
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = reviewer.cookies
    del data["csrfmiddlewaretoken"]
    assert checked.post(sign_off_url(condition), data).status_code == 403
    assert not ClinicalSignOff.objects.exists()


@pytest.mark.parametrize("group", ["Editors", "Clinical safety"])
def test_an_editor_cannot_sign_off(group: str) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    editor = staff("editor", group)
    change = editor.get(reverse("admin:content_condition_change", args=[condition.pk]))
    assert sign_off_url(condition) not in change.content.decode()
    assert editor.get(sign_off_url(condition)).status_code == 403
    data = {"name": "Ed Itor", "role": "GP", "fingerprint": condition.fingerprint()}
    assert editor.post(sign_off_url(condition), data).status_code == 403
    assert not ClinicalSignOff.objects.exists()
    assert "Reviewed by" not in reader_html()


def test_a_superuser_can_sign_off() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    admin = staff("boss", is_superuser=True)
    sign_off(admin, condition, "Dr Alex Lee", "consultant neurologist")
    assert f"Reviewed by Dr Alex Lee, consultant neurologist on {today()}." in reader_html()


def test_an_edit_after_sign_off_clears_it_until_signed_again() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    reviewer = staff("reviewer", "Clinical reviewers")
    sign_off(reviewer, condition, "Dr Sam Patel", "GP")
    assert "Reviewed by Dr Sam Patel" in reader_html()

    condition.summary = "An editor's new summary, not yet seen by a clinician."
    condition.save()
    html = reader_html()
    assert "Reviewed by" not in html
    assert NOT_REVIEWED in byline(html)
    editor = staff("editor", "Editors")
    change = editor.get(reverse("admin:content_condition_change", args=[condition.pk]))
    assert "signed off an earlier version" in change.content.decode()

    sign_off(reviewer, condition, "Dr Sam Patel", "GP")
    assert "Reviewed by Dr Sam Patel" in reader_html()


def test_editing_only_a_red_flag_clears_the_sign_off() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    sign_off(staff("reviewer", "Clinical reviewers"), condition, "Dr Sam Patel", "GP")
    flag = RedFlag.objects.filter(condition=condition).first()
    assert flag is not None
    flag.text = f"{flag.text} Sooner."
    flag.save()
    assert NOT_REVIEWED in byline(reader_html())


def test_an_edit_made_while_the_reviewer_reads_signs_nothing() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    reviewer = staff("reviewer", "Clinical reviewers")
    page = reviewer.get(sign_off_url(condition)).content.decode()
    condition.summary = "Changed while the reviewer was reading."
    condition.save()
    data = FormData(page, "sign_off_form").data
    data.update(name=["Dr Sam Patel"], role=["GP"])
    response = reviewer.post(sign_off_url(condition), data)
    assert response.status_code == 200
    assert "the article changed while you were reading it" in response.content.decode()
    assert not ClinicalSignOff.objects.exists()
    assert NOT_REVIEWED in reader_html()


def test_every_sign_off_is_kept_in_the_history() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    reviewer = staff("reviewer", "Clinical reviewers")
    sign_off(reviewer, condition, "Dr Sam Patel", "GP")
    first = condition.fingerprint()
    condition.summary = "A later edit."
    condition.save()
    sign_off(reviewer, condition, "Dr Sam Patel", "GP with an interest in neurology")

    history = list(ClinicalSignOff.history.order_by("history_id"))
    assert [h.role for h in history] == ["GP", "GP with an interest in neurology"]
    assert [h.history_user.username for h in history] == ["reviewer", "reviewer"]
    assert history[0].fingerprint == first != history[1].fingerprint
    assert ClinicalSignOff.objects.get().role == "GP with an interest in neurology"
