"""One whole checker session, walked with the shared driver (harness/wizard.py), reported to
locust as one event of its own type, so the load test and the benchmark count sessions (and
sessions that broke the checker's contract) apart from single requests."""

from __future__ import annotations

import time
from typing import Any

from harness import wizard

SESSION = "SESSION"  # the request type of a session event


def timed_session(events: Any, send: wizard.Transport, choose: wizard.Chooser, name: str) -> None:
    """Walk one session with `send`; fire `events.request` once for the whole of it, failed
    if the driver found the checker breaking its contract. Its length is the steps taken."""
    started = time.perf_counter()
    error: wizard.WizardError | None = None
    steps = 0
    try:
        steps = wizard.run_session(send, choose).steps
    except wizard.WizardError as failure:
        error = failure
    events.request.fire(
        request_type=SESSION,
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=steps,
        exception=error,
        context={},
    )
