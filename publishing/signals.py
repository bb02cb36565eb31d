"""Raise the content version (content/version.py) whenever content or the checker changes.

This app knows both, so the receivers that watch both live here.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from content import bulk, version
from content.models import SiteVersion

TRACKED_APPS = {"content", "triage"}


def bump_version(sender: type[Model], **kwargs: object) -> None:
    if kwargs.get("raw") or bulk.active():
        return  # loaddata, load_content, restore_content: they bump once at the end instead.
    if sender._meta.app_label not in TRACKED_APPS or sender is SiteVersion:
        return
    if sender.__name__.startswith("Historical"):
        return
    version.bump()


def connect() -> None:
    post_save.connect(bump_version, dispatch_uid="content_version_save")
    post_delete.connect(bump_version, dispatch_uid="content_version_delete")
    for model in apps.get_models():
        if model._meta.app_label in TRACKED_APPS:
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through
                assert through is not None  # Django sets it on every many-to-many field
                m2m_changed.connect(
                    bump_version,
                    sender=through,
                    dispatch_uid=f"content_version_{through._meta.label}",
                )
