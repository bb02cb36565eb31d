"""The content version: one number that every edit of content or of the checker raises.

Servers compare it with what they cached (the page cache, content/caching.py; the checker's
knowledge, triage/knowledge.py), so an edit shows at once on every server without a shared
cache. Saves and deletes raise it through publishing/signals.py; bulk writes that send no
signals (loading fixtures, restoring a backup, generating test conditions) call `bump()`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F

from content.models import SiteVersion


def bump() -> None:
    """Raise the version by one (creating its row on a fresh database)."""
    if not SiteVersion.objects.filter(pk=1).update(number=F("number") + 1):
        SiteVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def current() -> int:
    """The content version: one cheap query. Plain SQL, because it runs on every page view
    and every checker step: building it with the ORM cost five times the query itself."""
    meta = SiteVersion._meta
    quote = connection.ops.quote_name
    sql = f"SELECT {quote('number')} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = 1"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return int(row[0]) if row else 0
