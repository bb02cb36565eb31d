"""Bump the content version whenever editors (or load_content) change content.

Servers compare this one number with what they cached (triage/knowledge.py, page caches),
so an admin edit shows at once on every server without a shared cache.
"""

from django.apps import apps
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from content.models import SiteVersion

TRACKED_APPS = {"content", "triage"}


def bump_version(sender: type, **kwargs: object) -> None:
    if kwargs.get("raw"):
        return  # loaddata: load_content bumps once at the end instead.
    if sender._meta.app_label not in TRACKED_APPS or sender is SiteVersion:
        return
    if sender.__name__.startswith("Historical"):
        return
    updated = SiteVersion.objects.filter(pk=1).update(number=F("number") + 1)
    if not updated:
        SiteVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def current_version() -> int:
    """The content version: one cheap query. Plain SQL, because it runs on every page view
    and every checker step: building it with the ORM cost five times the query itself."""
    meta = SiteVersion._meta
    quote = connection.ops.quote_name
    sql = f"SELECT {quote('number')} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = 1"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


post_save.connect(bump_version, dispatch_uid="content_version_save")
post_delete.connect(bump_version, dispatch_uid="content_version_delete")
for model in apps.get_models():
    for m2m in model._meta.local_many_to_many:
        if model._meta.app_label in TRACKED_APPS:
            m2m_changed.connect(bump_version, sender=m2m.remote_field.through)
