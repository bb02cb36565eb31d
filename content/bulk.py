"""Bulk writes that refresh once when they finish (load_content, restore_content): meanwhile
the per-object receivers stand aside, as they do for raw saves.

A restore's clearing of all content sent one version bump and one search refresh per deleted
row, and many-to-many links (which carry no `raw` flag) a bump each: thousands of queries,
inside the write's transaction, that it redid in one go at the end. The same result, slower.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_active: ContextVar[bool] = ContextVar("bulk_write", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """The caller bumps the content version and rebuilds the search index itself."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


def active() -> bool:
    """True inside `writing()`: version bumps and search refreshes wait for its end."""
    return _active.get()
