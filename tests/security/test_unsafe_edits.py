"""The checker cannot be made unsafe through the admin (issue 10): each attack of the issue is
replayed through the admin as a real member of the Clinical safety group (not a superuser)
would make it, and is refused with the reason on the page and nothing kept. Editors edit
articles only; every change to the checker needs a reason; two editors cannot wipe each
other's changes; a revert brings a whole version back (links and inline parts included)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import models
from django.test import Client
from django.urls import reverse

from content.models import Condition, ConditionSymptom, RedFlag, Source, Symptom
from harness.wizard import as_dict
from tests.security.admin_forms import read_form
from triage.models import CombinationRule, Option, Question, Step

pytestmark = pytest.mark.django_db

UNSAFE = "this change would make the symptom checker unsafe"


def change_url(obj: models.Model) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clinical(clinician: User) -> Client:
    return logged_in(clinician)


@pytest.fixture
def editor() -> Client:
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return logged_in(user)


def open_form(client: Client, obj: models.Model) -> list[tuple[str, str]]:
    page = client.get(change_url(obj))
    assert page.status_code == 200
    return read_form(page.content.decode()).fields


def submit(
    client: Client,
    obj: models.Model,
    fields: list[tuple[str, str]],
    changes: dict[str, str | list[str]],
    reason: str = "Testing the safety gate",
):  # type: ignore[no-untyped-def]
    """Post the form back with `changes` (a list sets a multi-valued field)."""
    changes = {"change_reason": reason, **changes}
    kept = [(n, v) for n, v in fields if n not in changes]
    for name, value in changes.items():
        kept += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return client.post(change_url(obj), as_dict([*kept, ("_save", "Save")]))


def edit(client: Client, obj: models.Model, reason: str = "Testing the safety gate", **changes):  # type: ignore[no-untyped-def]
    return submit(client, obj, open_form(client, obj), changes, reason)


def inline_index(fields: list[tuple[str, str]], prefix: str, name: str, value: str) -> int:
    """The index of the inline form whose `name` field has `value`."""
    for field, current in fields:
        if field.startswith(f"{prefix}-") and field.endswith(f"-{name}") and current == value:
            return int(field.split("-")[1])
    raise AssertionError(f"no {prefix} form with {name}={value}")


def errors(response) -> str:  # type: ignore[no-untyped-def]
    """The form's error messages, for a failing assertion."""
    html = response.content.decode()
    return " | ".join(re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.DOTALL))


def assert_refused(response, *words: str) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert "changed successfully" not in html
    for word in words:
        assert word in html, word
    return html


# ----- the attacks of the issue, through the admin -----


def test_the_emergency_question_cannot_be_shown_only_to_pregnant_people(clinical: Client) -> None:
    question = Question.objects.get(slug="emergency-signs")
    pregnant = Symptom.objects.get(code="pregnant")
    html = assert_refused(edit(clinical, question, shown_if_any=[str(pregnant.pk)]), UNSAFE)
    assert "asked of everyone" in html
    assert not question.shown_if_any.exists()


def test_the_emergency_step_cannot_be_moved_last(clinical: Client) -> None:
    step = Step.objects.get(slug="emergency")
    html = assert_refused(edit(clinical, step, order="999"), UNSAFE)
    assert "must be the first page" in html
    step.refresh_from_db()
    assert step.order == 10


def test_the_chest_pain_option_cannot_be_remapped_to_a_cramp(
    clinical: Client, caplog: pytest.LogCaptureFixture
) -> None:
    question = Question.objects.get(slug="emergency-signs")
    chest = Symptom.objects.get(code="chest_pain_or_breathless")
    cramp = Symptom.objects.get(code="cramp_over_10_minutes")
    fields = open_form(clinical, question)
    i = inline_index(fields, "options", "symptom", str(chest.pk))
    response = submit(clinical, question, fields, {f"options-{i}-symptom": str(cramp.pk)})
    html = assert_refused(response, UNSAFE, "does not ask: chest_pain_or_breathless")
    assert "reference case" in html  # the cases that would be told less urgent advice
    assert Option.objects.filter(question=question, symptom=chest).exists()
    assert "Refused an unsafe change by clinician" in caplog.text  # the attempt leaves a trace


def test_a_red_flag_cannot_lose_its_finding_and_urgency_in_one_save(
    clinical: Client, editor: Client
) -> None:
    flag = RedFlag.objects.filter(finding__code="seizure").select_related("condition").first()
    assert flag is not None
    for client in (clinical, editor):
        fields = open_form(client, flag.condition)
        i = inline_index(fields, "red_flags", "slug", flag.slug)
        response = submit(
            client,
            flag.condition,
            fields,
            {f"red_flags-{i}-finding": "", f"red_flags-{i}-urgency": "soon"},
        )
        assert_refused(response, UNSAFE, "it was reviewed as emergency")
        flag.refresh_from_db()
        assert (flag.urgency, flag.finding.code) == ("emergency", "seizure")  # type: ignore[union-attr]


def test_hiding_the_health_question_is_refused_naming_the_cases_it_would_under_triage(
    clinical: Client,
) -> None:
    """Pregnancy, clots and cancer have no level of their own, so no safety rule needs them
    asked of everyone: only the reference cases (pregnant with a swollen calf) catch it."""
    question = Question.objects.get(slug="health")
    cramp = Symptom.objects.get(code="kind_cramp")
    html = assert_refused(edit(clinical, question, shown_if_any=[str(cramp.pk)]), UNSAFE)
    assert "reference case(s) would get less urgent advice" in html
    assert "instead of &#x27;urgent&#x27;" in html
    assert not question.shown_if_any.exists()


def test_deleting_an_emergency_option_is_refused(clinical: Client) -> None:
    question = Question.objects.get(slug="emergency-signs")
    fields = open_form(clinical, question)
    seizure = Symptom.objects.get(code="seizure")
    i = inline_index(fields, "options", "symptom", str(seizure.pk))
    response = submit(clinical, question, fields, {f"options-{i}-DELETE": "on"})
    assert_refused(response, UNSAFE, "seizure")
    assert Option.objects.filter(question=question, symptom=seizure).exists()


def test_deleting_the_emergency_step_is_refused_with_the_reason(clinical: Client) -> None:
    clinician = User.objects.get(username="clinician")
    clinician.user_permissions.add(*_permission("triage", "delete_step"))
    step = Step.objects.get(slug="emergency")
    url = reverse("admin:triage_step_delete", args=[step.pk])
    response = clinical.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert Step.objects.filter(pk=step.pk).exists()
    page = clinical.get(response["Location"]).content.decode()
    assert "Not deleted: this would make the symptom checker unsafe" in page


def _permission(app: str, codename: str) -> list[object]:
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(content_type__app_label=app, codename=codename))


# ----- roles and reasons -----


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (Symptom, {"code": "seizure"}),
        (Question, {"slug": "emergency-signs"}),
        (Step, {"slug": "emergency"}),
        (CombinationRule, {"slug": "twitch-over-2-weeks"}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_editors_may_read_but_not_change_the_checker(
    editor: Client, model: type[models.Model], lookup: dict[str, str]
) -> None:
    obj = model._default_manager.get(**lookup)
    page = editor.get(change_url(obj))
    assert page.status_code == 200  # read-only view
    assert 'name="_save"' not in page.content.decode()
    assert editor.post(change_url(obj), {"change_reason": "x"}).status_code == 403


def test_an_editor_edits_the_article_but_not_its_checker_profile(editor: Client) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    weights = sorted(condition.typical_symptoms.values_list("symptom__code", "weight"))
    fields = open_form(editor, condition)
    assert not any(n.startswith("typical_symptoms-0-weight") for n, _ in fields)  # read-only
    response = submit(
        editor, condition, fields, {"summary": "Clearer words.", "seriousness": "emergency"}, ""
    )
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.summary == "Clearer words."
    assert condition.seriousness == "usually-harmless"  # read-only for editors: unchanged
    assert sorted(condition.typical_symptoms.values_list("symptom__code", "weight")) == weights


def test_a_change_to_the_checker_needs_a_reason_kept_with_who_made_it(
    clinical: Client, clinician: User
) -> None:
    symptom = Symptom.objects.get(code="seizure")
    response = edit(clinical, symptom, reason="", name="A fit (seizure) happening now")
    assert_refused(response, "Say why you made this change")
    symptom.refresh_from_db()
    assert symptom.name != "A fit (seizure) happening now"

    response = edit(clinical, symptom, reason="Plainer name", name="A fit (seizure) happening now")
    assert response.status_code == 302
    latest = symptom.history.latest("history_id")
    assert (latest.name, latest.history_user, latest.history_change_reason) == (
        "A fit (seizure) happening now",
        clinician,
        "Plainer name",
    )


def test_a_profile_change_by_clinical_safety_is_kept_with_its_reason(clinical: Client) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    fields = open_form(clinical, condition)
    link = condition.typical_symptoms.exclude(weight=1).order_by("symptom__code").first()
    assert link is not None
    i = inline_index(fields, "typical_symptoms", "id", str(link.pk))
    response = submit(
        clinical, condition, fields, {f"typical_symptoms-{i}-weight": "1"}, "Less typical"
    )
    assert response.status_code == 302, errors(response)
    link.refresh_from_db()
    assert link.weight == 1
    assert link.history.latest("history_id").history_change_reason == "Less typical"


# ----- no lost edits -----


def test_the_later_of_two_saves_is_refused_with_a_link_to_the_newer_version(
    editor: Client,
) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    other = User.objects.create_user("other", password="a-long-other-password", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    second = logged_in(other)
    first_form, second_form = open_form(editor, condition), open_form(second, condition)

    assert (
        submit(editor, condition, first_form, {"summary": "First editor's words."}).status_code
        == 302
    )
    response = submit(second, condition, second_form, {"summary": "Second editor's words."})

    html = assert_refused(response, "was changed by editor", "after you opened it")
    assert f'href="{change_url(condition)}"' in html  # the newer version
    assert "Second editor&#x27;s words." in html  # their text is still there to copy
    condition.refresh_from_db()
    assert condition.summary == "First editor's words."


# ----- whole reverts -----


def condition_state(condition: Condition) -> dict[str, object]:
    condition.refresh_from_db()
    return {
        "summary": condition.summary,
        "seriousness": condition.seriousness,
        "reviewed_on": condition.reviewed_on,
        "sources": sorted(condition.sources.values_list("slug", flat=True)),
        "related": sorted(condition.related.values_list("slug", flat=True)),
        "red_flags": sorted(condition.red_flags.values_list("slug", "text", "urgency", "finding")),
        "typical": sorted(condition.typical_symptoms.values_list("symptom__code", "weight")),
    }


def revert_to(client: Client, obj: models.Model, history_id: int, reason: str = "Undo") -> None:
    url = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history",
        args=[obj.pk, history_id],
    )
    page = client.get(url)
    assert page.status_code == 200
    fields = [(n, v) for n, v in read_form(page.content.decode()).fields if n != "change_reason"]
    response = client.post(url, as_dict([*fields, ("change_reason", reason)]))
    assert response.status_code == 302, errors(response)


def test_a_condition_edit_is_reverted_whole_links_and_inlines_included(clinical: Client) -> None:
    condition = Condition.objects.get(slug="acute-limb-ischaemia")
    before = condition_state(condition)
    version = condition.history.latest("history_id").history_id
    fields = open_form(clinical, condition)
    flag = condition.red_flags.order_by("order").last()
    link = condition.typical_symptoms.order_by("symptom__code").first()
    assert flag is not None and link is not None
    keep_sources = [str(s.pk) for s in condition.sources.all()][:1]
    weight = inline_index(fields, "typical_symptoms", "id", str(link.pk))
    changes: dict[str, str | list[str]] = {
        "summary": "Edited summary.",
        "seriousness": "see-a-doctor" if condition.seriousness == "emergency" else "emergency",
        "reviewed_on": "2026-11-30",
        "sources": keep_sources + [str(Source.objects.exclude(conditions=condition).first().pk)],  # type: ignore[union-attr]
        "related": [str(Condition.objects.get(slug="leg-cramps").pk)],
        f"typical_symptoms-{weight}-weight": "1",
        f"red_flags-{inline_index(fields, 'red_flags', 'id', str(flag.pk))}-text": "Changed text",
    }
    assert submit(clinical, condition, fields, changes).status_code == 302
    # A second edit deletes a red flag and adds one.
    fields = open_form(clinical, condition)
    total = int(dict(fields)["red_flags-TOTAL_FORMS"])
    gone = condition.red_flags.exclude(urgency="emergency").order_by("order").first()
    assert gone is not None
    added = {
        f"red_flags-{total}-slug": "new-flag",
        f"red_flags-{total}-text": "A new sign",
        f"red_flags-{total}-urgency": "soon",
        f"red_flags-{total}-order": "999",
        f"red_flags-{total}-condition": str(condition.pk),
        "red_flags-TOTAL_FORMS": str(total + 1),
        f"red_flags-{inline_index(fields, 'red_flags', 'id', str(gone.pk))}-DELETE": "on",
    }
    assert submit(clinical, condition, fields, added).status_code == 302
    assert condition_state(condition) != before

    revert_to(clinical, condition, version)

    assert condition_state(condition) == before
    assert not RedFlag.objects.filter(condition=condition, slug="new-flag").exists()
    assert RedFlag.objects.filter(pk=gone.pk).exists()  # the same row, its history attached


def test_a_question_edit_is_reverted_with_its_options_and_follow_up_links(
    clinical: Client,
) -> None:
    question = Question.objects.get(slug="back-pain-sides")  # a follow-up

    def state() -> object:
        return (
            sorted(question.options.values_list("pk", "symptom__code", "label")),
            sorted(question.shown_if_any.values_list("code", flat=True)),
        )

    before, version = state(), question.history.latest("history_id").history_id
    fields = open_form(clinical, question)
    first = question.options.order_by("order").first()
    assert first is not None
    i = inline_index(fields, "options", "id", str(first.pk))
    extra = [str(s.pk) for s in Symptom.objects.filter(code="kind_cramp")]
    current = [v for n, v in fields if n == "shown_if_any"]
    response = submit(
        clinical,
        question,
        fields,
        {f"options-{i}-label": "A new label", "shown_if_any": current + extra},
    )
    assert response.status_code == 302, errors(response)
    assert state() != before
    revert_to(clinical, question, version)
    assert state() == before


def test_a_rule_edit_is_reverted_with_its_findings(clinical: Client) -> None:
    rule = CombinationRule.objects.get(slug="twitch-over-2-weeks")

    def state() -> object:
        return {
            name: sorted(getattr(rule, name).values_list("code", flat=True))
            for name in ("all_of", "any_of")
        }

    before, version = state(), rule.history.latest("history_id").history_id
    fields = open_form(clinical, rule)
    broader = [v for n, v in fields if n == "any_of"] + [
        str(Symptom.objects.get(code="kind_cramp").pk)
    ]
    assert submit(clinical, rule, fields, {"any_of": broader}).status_code == 302
    assert state() != before
    revert_to(clinical, rule, version)
    assert state() == before
    assert rule.history.latest("history_id").history_change_reason == "Undo"


def test_an_editor_cannot_revert_a_condition_to_a_different_checker_profile(
    clinical: Client, editor: Client
) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    version = condition.history.latest("history_id").history_id
    fields = open_form(clinical, condition)
    link = condition.typical_symptoms.exclude(weight=1).order_by("symptom__code").first()
    assert link is not None
    i = inline_index(fields, "typical_symptoms", "id", str(link.pk))
    assert (
        submit(clinical, condition, fields, {f"typical_symptoms-{i}-weight": "1"}).status_code
        == 302
    )
    url = reverse("admin:content_condition_simple_history", args=[condition.pk, version])
    response = editor.post(url, {"change_reason": "Undo"})
    assert response.status_code == 400
    assert "only the Clinical safety group" in response.content.decode()
    assert ConditionSymptom.objects.get(pk=link.pk).weight == 1


def test_a_bulk_delete_from_the_list_is_refused_when_unsafe(clinical: Client) -> None:
    question = Question.objects.get(slug="emergency-signs")
    url = reverse("admin:triage_question_changelist")
    data = {"action": "delete_selected", "_selected_action": [str(question.pk)], "post": "yes"}
    response = clinical.post(url, data)
    assert response.status_code == 302
    assert Question.objects.filter(pk=question.pk).exists()
    page = clinical.get(response["Location"]).content.decode()
    assert "Nothing was deleted: this would make the symptom checker unsafe" in page
