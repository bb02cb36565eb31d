"""Every page makes a fixed number of queries, however much content there is.

Each page is fetched once with little content and once with a lot; the two counts must be
equal (and small). The page cache (content/caching.py) is cleared first, so the view itself
is measured, not a cached copy.
"""

from __future__ import annotations

import datetime
import random
from urllib.parse import urljoin

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.models import (
    ClinicalSignOff,
    Condition,
    ConditionSymptom,
    DiagnosticTest,
    RedFlag,
    Remedy,
    RemedyKind,
    Seriousness,
    Source,
    Status,
    Symptom,
    Urgency,
    WarningSign,
)
from harness import wizard
from triage.knowledge import get_knowledge

TODAY = datetime.date(2026, 1, 1)
# Generous ceilings; the real test is that counts do not grow with the content.
MAX_CONDITION_QUERIES = 12
MAX_LIST_QUERIES = 8
MAX_CHECKER_STEP_QUERIES = 3

pytestmark = pytest.mark.django_db


def count_queries(client: Client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def condition_with(n: int) -> Condition:
    """A published condition with n of everything a condition page shows."""
    slug = f"perf-{n}"
    condition = Condition.objects.create(
        slug=slug,
        name=f"Perf condition {n}",
        summary="A test condition.",
        seriousness=Seriousness.DOCTOR,
        what_it_is="Text.",
        symptoms="Text.",
        causes="Text.",
        diagnosis="Text.",
        treatment="Text.",
        status=Status.PUBLISHED,
        reviewed_on=TODAY,
        next_review_due=TODAY.replace(year=2028),
    )
    for i in range(n):
        condition.sources.add(
            Source.objects.create(
                slug=f"{slug}-source-{i}",
                publisher="NHS",
                title=f"Source {i}",
                url=f"https://www.nhs.uk/{slug}/{i}/",
                accessed_on=TODAY,
            )
        )
        condition.remedies.add(
            Remedy.objects.create(
                slug=f"{slug}-remedy-{i}",
                name=f"Remedy {i}",
                kind=RemedyKind.LIFESTYLE,
                summary="Helps.",
                how_to="Do it.",
            )
        )
        condition.tests.add(
            DiagnosticTest.objects.create(
                slug=f"{slug}-test-{i}", name=f"Test {i}", summary="Checks.", body="Text."
            )
        )
        RedFlag.objects.create(
            condition=condition,
            slug=f"flag-{i}",
            text=f"Sign {i}",
            urgency=[Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON][i % 3],
            order=i,
        )
    symptoms = list(Symptom.objects.order_by("code")[:n])
    assert len(symptoms) == n, "need more symptoms in the fixtures for this test"
    ConditionSymptom.objects.bulk_create(
        [ConditionSymptom(condition=condition, symptom=s, weight=1) for s in symptoms]
    )
    related = Condition.objects.published().exclude(slug__startswith="perf-")[:n]
    condition.related.add(*related)
    return condition


def test_a_condition_page_makes_the_same_queries_whatever_it_holds(
    client: Client, django_assert_max_num_queries: object
) -> None:
    small, large = condition_with(1), condition_with(20)
    # A clinician's sign-off comes with the condition's own query: none more.
    ClinicalSignOff.objects.create(
        condition=large, name="Dr A", role="GP", signed_on=TODAY, fingerprint=large.fingerprint()
    )
    counts = [count_queries(client, c.get_absolute_url()) for c in (small, large)]
    assert counts[0] == counts[1], counts
    cache.clear()
    with django_assert_max_num_queries(MAX_CONDITION_QUERIES):  # type: ignore[operator]
        assert b"Reviewed by Dr A, GP" in client.get(large.get_absolute_url()).content


@pytest.mark.parametrize("url", ["/conditions/", "/conditions/?page=2", "/search/?q=leg"])
def test_a_to_z_and_search_do_not_grow_with_1000_generated_conditions(
    client: Client, url: str, django_assert_max_num_queries: object
) -> None:
    call_command("seed_conditions", "200", verbosity=0)  # so that page 2 exists before
    before = count_queries(client, url)
    call_command("seed_conditions", "1000", verbosity=0)
    after = count_queries(client, url)
    assert before == after, (before, after)
    cache.clear()
    with django_assert_max_num_queries(MAX_LIST_QUERIES):  # type: ignore[operator]
        client.get(url)


def test_search_results_are_paginated_with_many_matches(client: Client) -> None:
    call_command("seed_conditions", "1000", verbosity=0)
    html = client.get("/search/?q=generated").content.decode()
    assert html.count('href="/conditions/generated-') <= 50
    html = client.get("/conditions/").content.decode()
    assert html.count('href="/conditions/generated-') <= 200


def test_when_to_get_help_makes_the_same_queries_whatever_the_conditions(
    client: Client,
) -> None:
    before = count_queries(client, "/when-to-get-help/")
    sign = WarningSign.objects.get(slug="chest-pain-or-breathless")
    for n in (3, 6):
        condition = condition_with(n)
        condition.red_flags.filter(order=0).update(sign=sign)  # one shared, the rest their own
    assert count_queries(client, "/when-to-get-help/") == before <= MAX_LIST_QUERIES


def test_seeded_conditions_can_be_removed() -> None:
    real = Condition.objects.count()
    call_command("seed_conditions", "50", verbosity=0)
    assert Condition.objects.count() == real + 50
    assert Condition.objects.filter(slug__startswith="generated-", status="published").count()
    call_command("seed_conditions", "--remove", verbosity=0)
    assert Condition.objects.count() == real


def test_every_checker_step_makes_at_most_3_queries(client: Client) -> None:
    """Walk the checker through its HTML contract with the shared driver (harness/wizard.py),
    answering at random, and count each GET and POST's queries (redirects are separate
    requests). The engine's data is built once per process and version
    (triage/knowledge.py) first, as on a running server."""
    get_knowledge()
    counts: list[tuple[str, str, int]] = []

    def counted(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        path = wizard.local_path(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path) if method == "GET" else client.post(path, as_form(data))
        counts.append((method, path, len(queries)))
        return wizard.Response(
            response.status_code,
            urljoin("http://testserver", path),
            response.content.decode(),
            response.get("Location", ""),
        )

    session = wizard.run_session(counted, wizard.pick_randomly(random.Random(7)))
    assert session.page.urgency in wizard.URGENCIES
    assert any(m == "POST" for m, _, _ in counts), counts
    assert all(n <= MAX_CHECKER_STEP_QUERIES for _, _, n in counts), counts


def as_form(data: wizard.Answers | None) -> dict[str, list[str]]:
    return wizard.as_dict(data or [])
