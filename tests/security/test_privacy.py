"""A person's answers stay theirs: never in a URL (where logs, history and Referer headers
would keep them), never cached for someone else, never in a shared store."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client

from harness import wizard
from tests.security.pages import checker_responses, require_checker

ANSWERS = {"kind_cramp", "cramp_at_night", "duration_over_2_weeks", "takes_statin", "muscle_pain"}


def checked_responses(client: Client) -> list[HttpResponse]:
    return checker_responses(client, [wizard.pick_findings(ANSWERS)])


@pytest.mark.django_db
def test_answers_never_appear_in_a_url(client: Client) -> None:
    require_checker(client)
    responses = checked_responses(client)
    posted = {
        value
        for r in responses
        for key in r.wsgi_request.POST
        for value in r.wsgi_request.POST.getlist(key)
        if value in ANSWERS
    }
    assert posted, "the session should have given some of the answers"
    for response in responses:
        urls = [response.wsgi_request.get_full_path(), response.headers.get("Location", "")]
        html = response.content.decode()
        urls += [f.action for f in [wizard.parse(html).step_form] if f]
        for url in urls:
            assert not any(code in url for code in posted), url


@pytest.mark.django_db
def test_no_checker_response_may_be_stored_by_a_cache_or_the_back_button(client: Client) -> None:
    require_checker(client)
    for response in checked_responses(client):
        if response.wsgi_request.path.startswith("/check/") and response.status_code == 200:
            assert "no-store" in response.headers.get("Cache-Control", ""), response.wsgi_request
            assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.django_db
def test_two_people_never_see_each_others_answers(client: Client) -> None:
    """Answers travel in the person's own cookie: a second browser starts empty, even on
    the same server a moment later (no server-side session or shared cache involved)."""
    require_checker(client)
    first = checked_responses(client)
    result_url = first[-1].wsgi_request.path
    assert b"data-urgency" in first[-1].content
    stranger = Client()
    page = stranger.get(result_url, follow=True)
    assert b"data-urgency" not in page.content
