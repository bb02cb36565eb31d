"""Get a server process ready before its first request: what every request needs is built,
then set aside from the garbage collector.

Python's full garbage collection walks every object that is still alive. In a server that
is Django itself, its URLconf and templates, and the checker's knowledge: about 150,000
objects, a pause of 50 ms or more that landed on one request in a few thousand (the
checker steps' slowest p99 in bench/). gc.freeze() moves what exists after the warm-up out
of the collector's sight; objects made later (by requests, or a rebuild after an edit)
are collected as usual. Frozen objects are still freed by reference counting.
"""

from __future__ import annotations

import gc
import logging

from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import get_resolver

log = logging.getLogger("twitchsite.warmup")

# The templates (Jinja2) of the pages that no page cache serves: the checker's.
TEMPLATES = [
    "triage/base.html", "triage/_page.html", "triage/_wizard.html", "triage/step.html",
    "triage/answers.html", "triage/result.html",
]  # fmt: skip


def prepare_process() -> None:
    """Build the checker's data (the safety gate walks every reference case, a third of a
    second) and load the URLconf and templates, so no person waits for them; then freeze."""
    from triage import knowledge  # the checker's knowledge needs the apps loaded

    get_resolver().url_patterns  # noqa: B018 - loads the URLconf
    for name in TEMPLATES:
        get_template(name, using="jinja2")
    try:
        knowledge.get_data()
    except DatabaseError as error:  # the database is down: the first request builds it
        log.warning("checker warm-up skipped: %s", error)
    finally:
        connections.close_all()  # the process's threads open their own
    gc.collect()
    gc.freeze()
