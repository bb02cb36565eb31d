"""The reference-case gate: no change to the checker's knowledge is kept if it makes the
checker unsafe.

Every write path (the admin, a whole revert, `load_content`, `restore_content`) makes its
change inside a transaction and calls `enforce()` before the transaction commits (the
admin through settings.EDIT_CHECK, content/edit_check.py). `enforce`
reads the would-be knowledge from the database, as the checker would see it after the
commit, and refuses the change (raises `UnsafeChange`, which rolls the transaction back)
when:
- it breaks a safety rule (triage/safety.py), or
- a reference case (triage/cases/*.yaml) would be told less urgent advice than the brief
  gives it, or would lose a finding because no question asks for it any more.
"""

from __future__ import annotations

import logging

from content.edit_check import EditRefused
from triage.knowledge import build_data

# Refusals are logged (a warning) so attempts to make the checker unsafe leave a trace
# even though nothing was kept.
log = logging.getLogger("twitchsite.safety")


class UnsafeChange(EditRefused):
    """A change refused because it would make the checker unsafe; nothing was kept."""


def problems() -> list[str]:
    """Everything that makes the knowledge in the database (as this transaction sees it)
    unsafe: the safety rules, then the reference cases (triage/safety.py)."""
    return list(build_data().problems)


def enforce(by: str = "") -> None:
    """Refuse (roll back) the change being made when the knowledge would be unsafe.
    `by` (a user, a command) is named in the log."""
    if found := problems():
        log.warning("Refused an unsafe change by %s: %s", by or "unknown", " ".join(found))
        raise UnsafeChange(found)
