from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

EDITOR_PASSWORD = "a-long-editor-passphrase-9"


@pytest.fixture
def editor(db: None) -> User:
    return User.objects.create_superuser("editor", "editor@example.org", EDITOR_PASSWORD)


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def admin_change_urls(user: User) -> list[str]:
    """The editor's own change page plus, for each registered content model, one object's."""
    urls = [reverse("admin:auth_user_change", args=[user.pk])]
    for model in admin.site._registry:
        if model._meta.app_label not in {"content", "triage"}:
            continue
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(
                reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
                )
            )
    return urls


def admin_pages(user: User) -> list[str]:
    """The admin pages editors use: index, every change list, change and history pages."""
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    changes = admin_change_urls(user)
    return ["/admin/", *lists, *changes, *[c.replace("/change/", "/history/") for c in changes]]
