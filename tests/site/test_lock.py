"""The hashed locks say what requirements*.txt say, and the venv the tests run in is the lock.

`make` and CI install only `requirements.lock` (`pip install --require-hashes`), production
`requirements-runtime.lock`; both are compiled from requirements*.txt by `make lock`. These
tests read the files (no network) and fail when an edit of a pin, a dependency or the venv
was not followed by `make lock` / `make venv`.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
DEV_LOCK = ROOT / "requirements.lock"
RUNTIME_LOCK = ROOT / "requirements-runtime.lock"
# Each lock and the requirement files it is compiled from (`make lock`).
LOCKS = {
    DEV_LOCK: [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"],
    RUNTIME_LOCK: [ROOT / "requirements.txt"],
}
# What a venv brings itself, and the project (never installed as a package).
NOT_FROM_THE_LOCK = {"pip", "setuptools", "wheel", "twitchsite"}
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    """PEP 503: Django, django, Typing_Extensions and typing.extensions compare equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """The `name==version` lines of a requirements file itself (its `-r` includes are in LOCKS)."""
    found: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-r ", "--requirement ")):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {raw!r} is not pinned exactly (name==version)"
        found[normalise(match[1])] = match[2]
    return found


@dataclass
class Entry:
    name: str
    version: str
    hashes: set[str] = field(default_factory=set)
    via: list[str] = field(default_factory=list)  # pip-compile's "# via" annotations


def lock_entries(path: Path) -> dict[str, Entry]:
    """The entries of a pip-compile lock: `name==version \\` with `--hash` lines and `# via`."""
    entries: dict[str, Entry] = {}
    current: Entry | None = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line:
            continue
        if not raw[0].isspace() and not line.startswith("#"):
            match = PIN.match(line)
            assert match, f"{path.name}: {raw!r} is not name==version"
            name = normalise(match[1])
            assert name not in entries, f"{path.name}: {name} is locked twice"
            current = entries[name] = Entry(name, match[2])
        elif current is not None and line.startswith("--hash="):
            current.hashes.update(HASH.findall(line))
        elif current is not None and line.startswith("#") and raw[0].isspace():
            via = line.lstrip("#").strip()
            if via.startswith("via "):
                via = via[4:]
            if via and via != "via":
                current.via.append(via)
        elif line.startswith("#"):
            current = None  # a comment at the margin ends the entry
        else:
            pytest.fail(f"{path.name}: unexpected line {raw!r}")
    return entries


@pytest.fixture(scope="module")
def locks() -> dict[Path, dict[str, Entry]]:
    return {lock: lock_entries(lock) for lock in LOCKS}


@pytest.mark.parametrize("lock", list(LOCKS), ids=lambda p: p.name)
def test_every_pin_is_locked_at_its_version(
    lock: Path, locks: dict[Path, dict[str, Entry]]
) -> None:
    entries = locks[lock]
    wrong = []
    for source in LOCKS[lock]:
        for name, version in pins(source).items():
            if name not in entries:
                wrong.append(f"{name}: {source.name} pins {version}, {lock.name} lacks it")
            elif entries[name].version != version:
                wrong.append(
                    f"{name}: {source.name} pins {version}, {lock.name} has {entries[name].version}"
                )
    assert not wrong, "run `make lock`:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lock", list(LOCKS), ids=lambda p: p.name)
def test_no_direct_dependency_the_requirements_dropped(
    lock: Path, locks: dict[Path, dict[str, Entry]]
) -> None:
    """An entry that pip-compile took from a requirements file must still be pinned there."""
    stale = []
    for source in LOCKS[lock]:
        pinned = pins(source)
        for entry in locks[lock].values():
            if f"-r {source.name}" in entry.via and entry.name not in pinned:
                stale.append(f"{entry.name} {entry.version}: locked via {source.name}, not in it")
    assert not stale, "run `make lock`:\n" + "\n".join(stale)


@pytest.mark.parametrize("lock", list(LOCKS), ids=lambda p: p.name)
def test_every_entry_has_hashes(lock: Path, locks: dict[Path, dict[str, Entry]]) -> None:
    entries = locks[lock]
    assert len(entries) >= len(pins(LOCKS[lock][0])), f"{lock.name} is nearly empty"
    unhashed = sorted(name for name, entry in entries.items() if not entry.hashes)
    assert not unhashed, f"{lock.name}: no --hash=sha256: for {', '.join(unhashed)}"


def test_runtime_lock_is_the_tested_versions(locks: dict[Path, dict[str, Entry]]) -> None:
    """Production installs exactly what the tests ran on: same versions, same files."""
    dev = locks[DEV_LOCK]
    wrong = []
    for name, entry in locks[RUNTIME_LOCK].items():
        if name not in dev:
            wrong.append(f"{name}: {RUNTIME_LOCK.name} has {entry.version}, {DEV_LOCK.name} not")
        elif dev[name].version != entry.version:
            wrong.append(
                f"{name}: {RUNTIME_LOCK.name} has {entry.version}, "
                f"{DEV_LOCK.name} has {dev[name].version}"
            )
        elif dev[name].hashes != entry.hashes:
            wrong.append(f"{name} {entry.version}: the two locks hash different files")
    assert not wrong, "run `make lock`:\n" + "\n".join(wrong)


def installed() -> dict[str, str]:
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and normalise(name) not in NOT_FROM_THE_LOCK:
            found[normalise(name)] = dist.version
    return found


def test_the_venv_is_the_lock(locks: dict[Path, dict[str, Entry]]) -> None:
    """What the tests import is what the lock installs: nothing more, no other version."""
    entries = locks[DEV_LOCK]
    wrong = []
    for name, version in sorted(installed().items()):
        if name not in entries:
            wrong.append(f"{name}: installed {version}, {DEV_LOCK.name} lacks it")
        elif entries[name].version != version:
            wrong.append(
                f"{name}: installed {version}, {DEV_LOCK.name} has {entries[name].version}"
            )
    assert not wrong, (
        "the venv and the lock differ (a dependency installed by hand: add it to "
        "requirements*.txt and run `make lock`; a stale venv: run `make venv`):\n"
        + "\n".join(wrong)
    )


def test_every_dependency_of_a_locked_package_is_locked(
    locks: dict[Path, dict[str, Entry]],
) -> None:
    """On this Python: the indirect dependencies, read from the installed packages' metadata."""
    entries = locks[DEV_LOCK]
    environment = {**default_environment(), "extra": ""}
    missing = []
    for dist in importlib.metadata.distributions():
        name = normalise(dist.metadata["Name"] or "")
        if name not in entries or entries[name].version != dist.version:
            continue  # test_the_venv_is_the_lock reports these
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate(environment):
                continue
            if normalise(requirement.name) not in entries:
                missing.append(f"{requirement.name}: needed by {name} {dist.version}")
    assert not missing, f"{DEV_LOCK.name} lacks (run `make lock`):\n" + "\n".join(missing)
