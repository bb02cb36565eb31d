"""Editors read feedback in the admin, every answer and the counts per page, and may
delete an answer; nobody adds or changes one."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from feedback.models import Feedback

pytestmark = pytest.mark.django_db
ANSWERS = [
    ("/conditions/leg-cramps/", True, ""),
    ("/conditions/leg-cramps/", False, "Nothing on cramps at night"),
    ("/conditions/leg-cramps/", True, ""),
    ("/self-care/", False, "Too long"),
    ("/self-care/", False, ""),
    ("/check/result/", True, ""),
]


@pytest.fixture
def answers() -> None:
    for page, helpful, text in ANSWERS:
        Feedback.objects.create(page=page, helpful=helpful, text=text)


def rows(html: str) -> list[list[str]]:
    """The summary table's cells, row by row, as text."""
    body = re.search(r'<table id="page-summary">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, "no summary table"
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body[1], re.S)
    ]


def test_both_roles_may_view_and_delete_feedback_but_not_add_or_change_it() -> None:
    for name in ["Editors", "Clinical safety"]:
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_feedback", "delete_feedback"} <= codenames, name
        assert not {"add_feedback", "change_feedback"} & codenames, name


def test_an_editor_sees_every_answer_with_its_page_answer_date_and_text(
    editor_client: Client, answers: None
) -> None:
    html = editor_client.get("/admin/feedback/feedback/").content.decode()
    assert "Nothing on cramps at night" in html and "/check/result/" in html
    assert "6 feedback" in html
    assert "Add feedback" not in html
    only_cramps = editor_client.get(
        "/admin/feedback/feedback/", {"page__exact": "/conditions/leg-cramps/"}
    )
    assert "3 feedback" in only_cramps.content.decode()
    unhelpful = editor_client.get("/admin/feedback/feedback/", {"helpful__exact": "0"})
    assert "3 feedback" in unhelpful.content.decode()


def test_the_summary_counts_each_page_the_least_helpful_first(
    editor_client: Client, answers: None
) -> None:
    response = editor_client.get("/admin/feedback/pagesummary/")
    assert response.status_code == 200
    assert rows(response.content.decode()) == [
        # page, answers, yes, no, % helpful, with text
        ["/self-care/", "2", "0", "2", "0%", "1"],
        ["/conditions/leg-cramps/", "3", "2", "1", "67%", "1"],
        ["/check/result/", "1", "1", "0", "100%", "0"],
    ]

    def pages(order: str) -> list[str]:
        html = editor_client.get("/admin/feedback/pagesummary/", {"o": order}).content.decode()
        return [row[0] for row in rows(html)]

    assert pages("helpful_percent") == ["/self-care/", "/conditions/leg-cramps/", "/check/result/"]
    assert pages("-helpful_percent")[0] == "/check/result/"
    assert pages("-answers")[0] == "/conditions/leg-cramps/"
    assert pages("-password")[0] == "/self-care/"  # an unknown column: the default order


def test_the_summary_links_each_page_to_its_answers(editor_client: Client, answers: None) -> None:
    html = editor_client.get("/admin/feedback/pagesummary/").content.decode()
    assert 'href="/admin/feedback/feedback/?page__exact=%2Fself-care%2F"' in html


def test_the_app_index_lists_both_for_an_editor(editor_client: Client) -> None:
    html = editor_client.get("/admin/").content.decode()
    assert "/admin/feedback/feedback/" in html and "/admin/feedback/pagesummary/" in html


def test_nobody_adds_or_changes_feedback(editor_client: Client, answers: None) -> None:
    answer = Feedback.objects.filter(text="Too long").get()
    assert editor_client.get("/admin/feedback/feedback/add/").status_code == 403
    view = editor_client.get(f"/admin/feedback/feedback/{answer.pk}/change/")
    assert view.status_code == 200 and b'name="_save"' not in view.content
    editor_client.post(f"/admin/feedback/feedback/{answer.pk}/change/", {"text": "Edited"})
    answer.refresh_from_db()
    assert answer.text == "Too long"


def test_an_editor_may_delete_an_answer(editor_client: Client, answers: None) -> None:
    answer = Feedback.objects.filter(text="Too long").get()
    response = editor_client.post(f"/admin/feedback/feedback/{answer.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Feedback.objects.filter(pk=answer.pk).exists()


def test_staff_without_the_role_see_neither(answers: None) -> None:
    client = Client()
    client.force_login(User.objects.create_user("s", password="a-long-pass-phrase", is_staff=True))
    assert client.get("/admin/feedback/feedback/").status_code == 403
    assert client.get("/admin/feedback/pagesummary/").status_code == 403
