"""The condition pages' kept objects (content/condition_cache.py): a reader past the page
cache costs one query, an edit shows at once, and editors always read the database."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.models import ClinicalSignOff, Condition

pytestmark = pytest.mark.django_db

URL = "/conditions/leg-cramps/"


def reader() -> Client:
    """A reader with a cookie: the page cache steps aside, the view renders the page."""
    client = Client()
    client.cookies["some-cookie"] = "x"
    return client


def test_a_reader_past_the_page_cache_costs_one_query_once_the_condition_is_loaded() -> None:
    first = reader().get(URL)
    with CaptureQueriesContext(connection) as queries:
        again = reader().get(URL)
    assert len(queries) == 1  # the content version
    assert again.content == first.content


def test_an_edit_shows_at_once_to_readers_past_the_page_cache() -> None:
    reader().get(URL)
    condition = Condition.objects.get(slug="leg-cramps")
    condition.summary = "An edited summary, shown at once."
    condition.save()  # raises the content version
    assert b"An edited summary, shown at once." in reader().get(URL).content


def test_a_condition_taken_off_the_site_is_gone_at_once() -> None:
    assert reader().get(URL).status_code == 200
    condition = Condition.objects.get(slug="leg-cramps")
    condition.status = "draft"
    condition.save()
    assert reader().get(URL).status_code == 404


def test_editors_read_the_database_as_it_is() -> None:
    reader().get(URL)
    Condition.objects.filter(slug="leg-cramps").update(summary="Changed behind the signals.")
    assert b"Changed behind the signals." not in reader().get(URL).content  # the kept copy
    editor = Client()
    editor.force_login(User.objects.create_user("ed", password="a-long-passphrase", is_staff=True))
    assert b"Changed behind the signals." in editor.get(URL).content


def test_a_signed_off_page_past_the_page_cache_still_costs_one_query() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    ClinicalSignOff.objects.create(
        condition=condition,
        name="Dr A",
        role="GP",
        signed_on=condition.reviewed_on or datetime.date(2026, 1, 1),
        fingerprint=condition.fingerprint(),
    )
    first = reader().get(URL)
    assert b"Reviewed by Dr A, GP" in first.content
    with CaptureQueriesContext(connection) as queries:
        again = reader().get(URL)
    assert len(queries) == 1  # the content version
    assert again.content == first.content
