"""The editorial roles (publishing/migrations/0001_editor_roles.py): Editors change articles
only; the checker's knowledge needs Clinical safety; neither group manages users."""

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_editors_group_cannot_delete_or_manage_users() -> None:
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"change_condition", "add_redflag", "view_symptom", "view_question"} <= codenames
    # Readers' feedback is the one thing editors delete (feedback/migrations/0002).
    assert [c for c in codenames if c.startswith("delete_")] == ["delete_feedback"]
    assert not {"add_symptom", "add_step", "change_user", "view_user"} & codenames
    # The checker's knowledge is the Clinical safety group's.
    assert not {"change_symptom", "change_question", "change_option"} & codenames
    assert not {"change_combinationrule", "change_step", "change_conditionsymptom"} & codenames


def test_clinical_safety_may_change_the_checker_but_not_manage_users() -> None:
    codenames = set(
        Group.objects.get(name="Clinical safety").permissions.values_list("codename", flat=True)
    )
    assert {"change_symptom", "change_question", "change_option", "change_step"} <= codenames
    assert {"change_combinationrule", "change_conditionsymptom", "change_condition"} <= codenames
    assert not {"change_user", "add_user", "view_user", "change_group"} & codenames
    assert not {"change_remedy", "change_source", "delete_condition"} & codenames


def test_clinical_reviewers_read_articles_and_sign_them_off_and_change_nothing() -> None:
    """publishing/migrations/0003_clinical_reviewers.py"""
    codenames = set(
        Group.objects.get(name="Clinical reviewers").permissions.values_list("codename", flat=True)
    )
    assert {"sign_off_condition", "view_condition", "view_redflag", "view_source"} <= codenames
    assert [c for c in codenames if not c.startswith("view_")] == ["sign_off_condition"]
    assert not {"view_user", "view_feedback"} & codenames


def test_only_clinical_reviewers_may_sign_off() -> None:
    holders = Group.objects.filter(permissions__codename="sign_off_condition")
    assert list(holders.values_list("name", flat=True)) == ["Clinical reviewers"]
