"""Project-wide pytest setup.

- The test database gets all content loaded once per session (`load_content`; on SQLite a
  copy of the database harness/server.py prepared with it); each test runs in a
  transaction that is rolled back, so tests see the real articles and rules.
- Unit tests use plain static storage (no collectstatic needed) and a fast password hasher;
  tests that start real servers run collectstatic themselves and use the real settings.
- Under CI (CI=true) nothing may be skipped: a skipped test fails the run.
- `make test` runs on every core (`pytest -n auto --dist worksteal`: an idle worker takes
  tests queued for a busy one, so no worker ends long after the other; the slowest tests
  are queued first, SLOW_FIRST below). The tests that
  start real servers run in parallel with the rest: each takes free ports and its own
  database, and none asserts a time. (They once asked for one shared worker with
  `xdist_group`, which never took effect: pytest-xdist 3.8 marks a group by rewriting
  `item._nodeid`, and pytest 9 no longer reads that attribute.)
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: pytest.Config) -> None:
    # Tests create many accounts: a fast hasher (production keeps Django's PBKDF2, and the
    # servers the tests start use the real settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def skip_or_fail(reason: str) -> None:
    """Skip on a person's machine; under CI a missing prerequisite is a failure."""
    if IN_CI:
        pytest.fail(f"CI must run this test, but: {reason}")
    pytest.skip(reason)


# The checker's knowledge as loaded, built once per session (about a second): each test
# starts from it, and a test that changes the content bumps the content version, so the
# checker rebuilds from what that test sees (triage/knowledge.py).
_loaded_knowledge: list[Any] = []


# The database harness/server.py prepares (`manage.py migrate` and `load_content`, kept
# between runs), on SQLite: django_db_modify_db_settings below finds it, django_db_setup
# copies it into the test database.
_prepared_sqlite: list[Path | None] = []


def _find_prepared_sqlite(tmp: Path) -> Path | None:
    """On SQLite, a copy (in `tmp`) of the database harness/server.py prepares for the
    servers, if it has exactly the migrations on disk applied; else None (and on
    PostgreSQL)."""
    import sqlite3

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from harness.server import prepare, site_env

    if connection.vendor != "sqlite":
        return None
    loader = MigrationLoader(None, ignore_no_migrations=True)
    if any(migration.replaces for migration in loader.disk_migrations.values()):
        return None  # a squashed migration is recorded as the ones it replaces
    copy = tmp / "prepared.sqlite3"
    prepare(site_env(f"sqlite:///{copy}", tmp / "static"), collectstatic=False)
    with contextlib.closing(sqlite3.connect(copy)) as prepared:
        applied = prepared.execute("SELECT app, name FROM django_migrations").fetchall()
    return copy if sorted(applied) == sorted(loader.disk_migrations) else None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The test database is made without running the migrations (Django's TEST MIGRATE
    False: its tables straight from the models, seconds less per worker) when the prepared
    SQLite database will replace it whole, migrations table included."""
    from django.db import connection

    prepared = _find_prepared_sqlite(tmp_path_factory.mktemp("prepared-sqlite"))
    _prepared_sqlite[:] = [prepared]
    if prepared is not None:
        connection.settings_dict.setdefault("TEST", {})["MIGRATE"] = False


def _copy_prepared_sqlite() -> bool:
    """On SQLite, fill the test database with the copy of the database harness/server.py
    prepared (loading the content takes each worker ten seconds or more). False, and
    nothing copied, when _find_prepared_sqlite found none to use (PostgreSQL, or other
    migrations than those on disk)."""
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    prepared = _prepared_sqlite[0] if _prepared_sqlite else None
    if prepared is None:
        return False
    with contextlib.closing(sqlite3.connect(prepared)) as source:
        connection.ensure_connection()
        source.backup(connection.connection)
    ContentType.objects.clear_cache()  # its ids are the copy's now
    return True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    from triage import knowledge

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if not _copy_prepared_sqlite():
            call_command("load_content", verbosity=0, stdout=io.StringIO())
        knowledge.clear_cache()
        knowledge.get_data()
        _loaded_knowledge[:] = [knowledge.cached()]


@pytest.fixture(autouse=True)
def _fresh_knowledge() -> None:
    """Each test starts with the knowledge of the content as loaded (rolled-back tests
    reuse content version numbers, so another test's knowledge must not carry over)."""
    from triage import knowledge

    knowledge.use_cached(_loaded_knowledge[0] if _loaded_knowledge else None)


@pytest.fixture(autouse=True)
def _fresh_page_cache() -> None:
    """Each test starts with an empty page cache (content/caching.py): rolled-back tests
    reuse content version numbers, so a page cached by one test could show in the next.
    Only the tests' own memory cache is emptied, never a Redis that REDIS_URL points at."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """Each test reads the search index afresh (content/search/engines.py keeps it per
    content version, and rolled-back tests reuse version numbers)."""
    from content.search.engines import MemoryEngine

    MemoryEngine.forget()


@pytest.fixture(autouse=True)
def _fresh_condition_cache() -> None:
    """Each test loads condition pages afresh (content/condition_cache.py keeps them per
    content version, and rolled-back tests reuse version numbers)."""
    from content import condition_cache

    condition_cache.forget()


@pytest.fixture(autouse=True)
def _fresh_fragments() -> None:
    """Each test renders the site's fixed fragments afresh (twitchsite/fragments.py keeps
    them per process), so a test that changes a setting they show sees its own value."""
    from twitchsite import fragments

    fragments.forget()


@pytest.fixture
def clinician(db: None) -> object:
    """A staff member of the Clinical safety group, not a superuser: may change the checker."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("clinician", password="a-long-clinician-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Clinical safety"))
    return user


# The slowest tests (seconds, `--durations=0` of a full run; 3 December 2026, a loaded
# machine), by node id prefix: they run first, so that with --dist worksteal the last test
# of a worker is a short one and no worker ends long after the other. Only the order
# depends on this table, never a result.
SLOW_FIRST = {
    "tests/browser/test_checker.py::test_every_checker_page_is_accessible_and_fits": 39,
    "tests/security/test_two_servers.py": 35,
    "tests/browser/test_pages.py::test_every_page_type_fits_at_400_percent_zoom": 32,
    "tests/performance/test_servers.py": 29,
    "tests/browser/test_pages.py::test_admin_change_page_is_accessible_and_fits": 24,
    "tests/security/test_backup.py": 21,
    "tests/browser/test_print.py": 21,
    "tests/security/test_unsafe_edits.py": 19,
    "publishing/tests/test_fixture_loading.py": 16,
    "tests/security/test_proxy.py": 16,
    "tests/browser/test_care_cards.py": 14,
    "triage/tests/test_properties.py": 14,
    "tests/security/test_no_inline.py": 13,
    "triage/tests/test_servers.py": 12,
    "tests/browser/test_checker.py": 12,
    "tests/browser": 5,
    "tests/security/test_served.py": 5,
}


def _slowness(nodeid: str) -> int:
    return max((s for prefix, s in SLOW_FIRST.items() if nodeid.startswith(prefix)), default=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A module's tests stay together (its module-scoped servers start once): modules by
    # their slowest test, then within a module the slowest first; otherwise as collected.
    def module(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0]

    slowest: dict[str, int] = {}
    for item in items:
        slowest[module(item)] = max(slowest.get(module(item), 0), _slowness(item.nodeid))
    items.sort(key=lambda item: (-slowest[module(item)], -_slowness(item.nodeid)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"NOTICE: {len(skipped)} test(s) skipped because this machine lacks something "
            "(see the 'SKIPPED' lines above: Chromium, PostgreSQL or Redis). CI runs them all.",
            yellow=True,
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
