"""A server process gets ready before its first request (twitchsite/warmup.py, run by
twitchsite/wsgi.py): the checker's data is built, and what exists then is frozen out of
the garbage collector's full collections."""

from __future__ import annotations

import gc

import pytest

from triage import knowledge
from twitchsite import warmup


@pytest.mark.django_db
def test_a_warmed_up_process_has_the_checker_built_and_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The test's own transaction must stay open: the warm-up closes a server's connections.
    monkeypatch.setattr(warmup.connections, "close_all", lambda: None)
    knowledge.clear_cache()
    try:
        warmup.prepare_process()
        built = knowledge.cached()
        assert built is not None and not built[1].problems
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
