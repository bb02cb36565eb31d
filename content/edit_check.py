"""The check every editorial write passes before its transaction commits.

content does not know what makes an edit unsafe: the symptom checker does (triage/gate.py
reads its knowledge and runs the reference cases). `settings.EDIT_CHECK` names that
function; it raises `EditRefused`, which rolls the edit back. So content never imports the
checker, and the checker still sees every edit made through content's admin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class EditRefused(Exception):
    """An edit refused by the site's check; nothing was kept. `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@cache
def _check() -> Callable[..., None]:
    check: Callable[..., None] = import_string(settings.EDIT_CHECK)
    return check


def check_edit(by: str = "") -> None:
    """Raise EditRefused when the edit being made (in this transaction) must not be kept.
    `by` (a user, a command) is named in the site's log."""
    _check()(by=by)
