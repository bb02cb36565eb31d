"""The editors' admin: what an editor can and cannot do, and the checks before publishing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from content.admin import ConditionAdminForm, RedFlagForm, SymptomAdminForm
from content.models import Condition, RedFlag, Seriousness, Status, Symptom, Urgency
from content.tests.helpers import FormData, make_condition, make_source

pytestmark = pytest.mark.django_db

REVIEWED = datetime.date(2026, 1, 1)


@pytest.fixture
def editor(client: Client) -> User:
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def _ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_editor_can_open_the_admin_pages_they_need(client: Client, editor: User) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    assert "Conditions" in _ok(client, reverse("admin:index"))
    assert "Leg cramps" in _ok(client, reverse("admin:content_condition_changelist"))
    change = _ok(client, reverse("admin:content_condition_change", args=[condition.pk]))
    assert 'name="red_flags-TOTAL_FORMS"' in change
    assert 'name="typical_symptoms-TOTAL_FORMS"' in change
    history = _ok(client, reverse("admin:content_condition_history", args=[condition.pk]))
    latest = condition.history.latest("history_date")
    assert f"/history/{latest.history_id}/" in history
    _ok(client, reverse("admin:content_condition_overdue"))
    for name in ["symptom", "remedy", "source", "diagnostictest"]:
        _ok(client, reverse(f"admin:content_{name}_changelist"))


def test_an_editor_cannot_delete_or_see_users(client: Client, editor: User) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    assert (
        client.get(reverse("admin:content_condition_delete", args=[condition.pk])).status_code
        == 403
    )
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def _change_form(client: Client, condition: Condition) -> tuple[str, dict[str, list[str]]]:
    url = reverse("admin:content_condition_change", args=[condition.pk])
    return url, FormData(_ok(client, url), "condition_form").data


def test_an_editor_can_save_a_change_and_revert_it_from_history(
    client: Client, editor: User
) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    old_summary = condition.summary
    url, data = _change_form(client, condition)
    data["summary"] = ["An editor's clearer summary."]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    condition.refresh_from_db()
    assert condition.summary == "An editor's clearer summary."
    assert condition.red_flags.count() == RedFlag.objects.filter(condition=condition).count() > 0

    record = condition.history.filter(summary=old_summary).latest("history_date")
    revert_url = reverse(
        "admin:content_condition_simple_history", args=[condition.pk, record.history_id]
    )
    page = _ok(client, revert_url)
    assert old_summary in page  # the confirmation says what comes back
    response = client.post(revert_url, FormData(page, "revert_form").data)
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.summary == old_summary


def test_publishing_without_sources_is_refused_with_a_clear_message(
    client: Client, editor: User
) -> None:
    condition = make_condition("admin-draft", status=Status.DRAFT)
    condition.sources.clear()
    url, data = _change_form(client, condition)
    data["status"] = [Status.PUBLISHED]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A published page needs at least one source." in response.content.decode()
    condition.refresh_from_db()
    assert condition.status == Status.DRAFT


def test_a_red_flag_less_urgent_than_its_finding_is_refused_in_the_admin(
    client: Client, editor: User
) -> None:
    condition = make_condition("admin-flags", seriousness=Seriousness.EMERGENCY)
    finding = Symptom.objects.filter(level=Urgency.EMERGENCY).first()
    assert finding is not None
    url, data = _change_form(client, condition)
    data.update(
        {
            "red_flags-TOTAL_FORMS": ["1"],
            "red_flags-0-slug": ["new-flag"],
            "red_flags-0-text": ["A new sign"],
            "red_flags-0-urgency": [Urgency.SOON],
            "red_flags-0-finding": [str(finding.pk)],
            "red_flags-0-order": ["10"],
            "red_flags-0-condition": [str(condition.pk)],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "may not be less urgent" in response.content.decode()
    assert not condition.red_flags.exists()


def _condition_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slug": "form-test",
        "name": "Form test",
        "summary": "A summary.",
        "seriousness": Seriousness.HARMLESS,
        "what_it_is": "x",
        "symptoms": "x",
        "causes": "x",
        "diagnosis": "x",
        "treatment": "x",
        "status": Status.PUBLISHED,
        "reviewed_on": REVIEWED,
        "next_review_due": datetime.date(2027, 1, 1),
        "sources": [make_source().pk],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sources": []}, "sources", "at least one source"),
        ({"reviewed_on": None}, "reviewed_on", "date it was reviewed"),
        ({"next_review_due": None}, "next_review_due", "next review is due"),
        ({"next_review_due": REVIEWED}, "next_review_due", "after the last review"),
        ({"next_review_due": datetime.date(2029, 1, 2)}, "next_review_due", "at most 3 years"),
    ],
)
def test_publishing_checks(changes: dict[str, object], field: str, message: str) -> None:
    form = ConditionAdminForm(data=_condition_data(**changes))
    assert not form.is_valid()
    assert message in " ".join(map(str, form.errors[field]))


@pytest.mark.parametrize(
    ("phrases", "message"),
    [
        ("calf keeps twitching\n" + "x" * 81, "under 80 characters"),
        ("\n".join(f"phrase {i}" for i in range(31)), "At most 30 phrases"),
        ("calf twitching\nis it the", "no word search can use"),
    ],
)
def test_bad_search_phrases_get_a_clear_message(phrases: str, message: str) -> None:
    form = ConditionAdminForm(data=_condition_data(search_phrases=phrases))
    assert not form.is_valid()
    assert message in " ".join(map(str, form.errors["search_phrases"]))


def test_search_phrases_are_tidied_one_a_line() -> None:
    form = ConditionAdminForm(
        data=_condition_data(search_phrases="  calf   twitching \r\n\n\ncalf twitching\njumpy legs")
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["search_phrases"] == "calf twitching\njumpy legs"


def test_a_complete_condition_may_be_published_and_a_draft_may_be_incomplete() -> None:
    assert ConditionAdminForm(data=_condition_data()).is_valid()
    assert ConditionAdminForm(
        data=_condition_data(next_review_due=datetime.date(2029, 1, 1))
    ).is_valid()
    draft = _condition_data(status=Status.DRAFT, sources=[], reviewed_on=None, next_review_due=None)
    assert ConditionAdminForm(data=draft).is_valid(), ConditionAdminForm(data=draft).errors


@pytest.mark.parametrize(
    ("urgency", "finding_level", "valid"),
    [
        (Urgency.SOON, Urgency.EMERGENCY, False),
        (Urgency.URGENT, Urgency.EMERGENCY, False),
        (Urgency.EMERGENCY, Urgency.EMERGENCY, True),
        (Urgency.EMERGENCY, Urgency.SOON, True),
        (Urgency.SOON, "", True),
        ("", Urgency.SOON, False),
    ],
)
def test_red_flag_urgency_checks(urgency: str, finding_level: str, valid: bool) -> None:
    finding = Symptom.objects.filter(level=finding_level).first()
    assert finding is not None
    form = RedFlagForm(
        data={"slug": "s", "text": "A sign", "urgency": urgency, "finding": finding.pk, "order": 1}
    )
    assert form.is_valid() is valid, form.errors


def test_a_findings_level_may_be_raised_but_not_lowered_below_the_brief() -> None:
    symptom = Symptom.objects.filter(floor_level=Urgency.URGENT).first()
    assert symptom is not None
    base = {"code": symptom.code, "group": symptom.group, "name": symptom.name,
            "meaning": symptom.meaning}  # fmt: skip
    lowered = SymptomAdminForm(data={**base, "level": Urgency.SOON}, instance=symptom)
    assert not lowered.is_valid()
    assert "not lower it" in " ".join(map(str, lowered.errors["level"]))
    assert not SymptomAdminForm(data={**base, "level": ""}, instance=symptom).is_valid()
    assert SymptomAdminForm(data={**base, "level": Urgency.EMERGENCY}, instance=symptom).is_valid()


def test_the_symptom_admin_shows_the_floor_read_only(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    symptom = Symptom.objects.exclude(floor_level="").first()
    assert symptom is not None
    html = _ok(client, reverse("admin:content_symptom_change", args=[symptom.pk]))
    assert 'name="level"' in html
    assert 'name="floor_level"' not in html
    assert symptom.get_floor_level_display() in html


def test_the_overdue_page_and_filter_list_only_overdue_pages(client: Client, editor: User) -> None:
    make_condition("admin-overdue", name="Long overdue page", next_review_due=REVIEWED)
    make_condition("admin-in-date", name="Fresh page", next_review_due=datetime.date(2999, 1, 1))
    page = _ok(client, reverse("admin:content_condition_overdue"))
    assert "Long overdue page" in page and "Fresh page" not in page
    filtered = _ok(client, reverse("admin:content_condition_changelist") + "?review=overdue")
    assert "Long overdue page" in filtered and "Fresh page" not in filtered
    assert reverse("admin:content_condition_overdue") in _ok(client, reverse("admin:index"))


def test_view_on_site_opens_the_preview_for_drafts(client: Client, editor: User) -> None:
    draft = make_condition("admin-view-draft", status=Status.DRAFT)
    html = _ok(client, reverse("admin:content_condition_change", args=[draft.pk]))
    assert reverse("content:condition_preview", args=[draft.slug]) in html
    assert client.get(reverse("content:condition_preview", args=[draft.slug])).status_code == 200
