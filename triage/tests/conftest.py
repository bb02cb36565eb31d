from __future__ import annotations

import pytest
from pytest_django import DjangoDbBlocker

from triage import engine


@pytest.fixture(scope="session")
def db_knowledge(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> engine.Knowledge:
    """The engine's knowledge as loaded from the real fixtures into the test database."""
    from triage.knowledge import build_knowledge

    with django_db_blocker.unblock():
        return build_knowledge()
