"""/healthz tells a load balancer whether this server can serve: 204 when the database and
the cache answer, 503 naming what failed, never cached, whatever the Host header."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_healthy_server_answers_204_uncached(client: Client) -> None:
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")  # balancers probe by address
    assert response.status_code == 204 and response.content == b""
    assert "no-store" in response["Cache-Control"]
    assert client.head("/healthz").status_code == 204
    assert client.post("/healthz").status_code == 405


def test_a_broken_database_or_cache_answers_503_naming_it(client: Client) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OSError("database down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unhealthy: database\n"
    with mock.patch("twitchsite.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.content == b"unhealthy: cache\n"
    assert "no-store" in response["Cache-Control"]


def test_healthz_reads_no_content(client: Client, django_assert_max_num_queries: object) -> None:
    with django_assert_max_num_queries(1):  # type: ignore[operator]  # SELECT 1, no more
        client.get("/healthz")
