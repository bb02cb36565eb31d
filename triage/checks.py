"""A Django system check: `manage.py check` fails when the database breaks the checker's
safety rules by any route (triage/safety.py). A database without tables or content yet
(before `migrate` or `load_content`) is not checked."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import DatabaseError

from content.models import Symptom
from triage.gate import problems


@register()
def checker_is_safe(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        if not Symptom.objects.exists():
            return []
        found = problems()
    except DatabaseError:
        return []
    return [
        Error(text, hint="Fix it in the admin or re-run load_content.", id="triage.E001")
        for text in found
    ]
