from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

ARTICLE = "/conditions/leg-cramps/"


def send(client: Client, **data: str) -> TestResponse:
    """A plain form post, as a browser without JavaScript sends it."""
    return client.post("/feedback/", {"page": ARTICLE, "helpful": "no", "text": "", **data})


@pytest.fixture
def editor(db: None) -> User:
    """A staff member of the Editors group (not a superuser)."""
    user = User.objects.create_user("ed", password="a-long-editor-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client
