"""No lost edits: backups restore content exactly, and load_content never silently
overwrites what editors changed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from content.backup import backup_models, snapshot
from content.models import Condition, RedFlag, Remedy, SiteVersion, Source, Symptom
from content.signals import current_version


def backup(path: Path) -> None:
    call_command("backup_content", output=str(path), stderr=io.StringIO())


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore_content", str(path), yes=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_backup_restores_all_content_exactly_after_edits_and_deletions(tmp_path: Path) -> None:
    before = snapshot()
    labels = {r["model"] for r in before}
    assert {"content.condition", "content.redflag", "content.symptom", "content.source"} <= labels
    file = tmp_path / "content.json"
    backup(file)
    records = json.loads(file.read_text())
    assert len(records) == len(before)
    assert not {r["model"] for r in records} & {"auth.user", "content.historicalcondition"}
    # Ids are kept (so history stays attached); references are natural keys.
    flags = [r for r in records if r["model"] == "content.redflag"]
    assert all("pk" in r and isinstance(r["fields"]["condition"], list) for r in flags)

    # Editors change, add and delete things (a cascade included).
    condition = Condition.objects.get(slug="leg-cramps")
    condition.summary = "Changed after the backup."
    condition.save()
    condition.sources.clear()
    Condition.objects.filter(slug="stroke").delete()  # its red flags go too
    Remedy.objects.order_by("pk").first().delete()  # type: ignore[union-attr]
    Source.objects.create(
        slug="new-source",
        publisher="X",
        title="Y",
        url="https://x.example/",
        accessed_on="2025-01-01",
    )
    assert snapshot() != before

    version = current_version()
    assert "Restored" in restore(file)
    assert snapshot() == before
    assert current_version() > version  # every server sees the restore at once
    restored = Condition.objects.get(slug="leg-cramps")
    assert restored.history.latest().history_change_reason == "restore_content"


@pytest.mark.django_db
def test_a_restore_into_an_empty_database_then_works_normally(tmp_path: Path) -> None:
    before = snapshot()
    file = tmp_path / "content.json"
    backup(file)
    for model in reversed(backup_models()):
        model._default_manager.all().delete()
    SiteVersion.objects.all().delete()
    assert not Condition.objects.exists()
    restore(file)
    assert snapshot() == before
    # New rows after a restore get fresh ids (sequences were reset on PostgreSQL).
    Source.objects.create(
        slug="after-restore",
        publisher="X",
        title="Y",
        url="https://x.example/",
        accessed_on="2025-01-01",
    )
    RedFlag.objects.create(
        condition=Condition.objects.first(), slug="after-restore", text="x", urgency="urgent"
    )


@pytest.mark.django_db
def test_restore_needs_confirmation_and_a_bad_file_changes_nothing(tmp_path: Path) -> None:
    file = tmp_path / "content.json"
    backup(file)
    before = snapshot()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_content", str(file))

    broken = json.loads(file.read_text())
    broken.append({"model": "content.redflag", "fields": {"condition": ["no-such"], "slug": "x"}})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(broken))
    with pytest.raises(CommandError, match="Nothing was changed"):
        restore(bad)
    users = tmp_path / "users.json"
    users.write_text(json.dumps([{"model": "auth.user", "fields": {"username": "x"}}]))
    with pytest.raises(CommandError, match="not content"):
        restore(users)
    assert snapshot() == before


@pytest.mark.django_db
def test_backup_writes_to_stdout_by_default() -> None:
    out = io.StringIO()
    call_command("backup_content", stdout=out)
    assert {r["model"] for r in json.loads(out.getvalue())} >= {"content.condition"}


@pytest.mark.django_db
def test_load_content_reports_editors_changes_and_keeps_them_until_overwrite() -> None:
    symptom = Symptom.objects.order_by("code").first()
    assert symptom is not None
    symptom.meaning = "An editor's clearer wording."
    symptom.save()
    Remedy.objects.filter(pk=Remedy.objects.order_by("pk").first().pk).delete()  # type: ignore[union-attr]

    out = io.StringIO()
    call_command("load_content", stdout=out)  # exits normally: a report, not a crash
    report = out.getvalue()
    assert "conflicts" in report and f"content.Symptom {symptom.code}" in report
    assert "was deleted in the admin" in report
    symptom.refresh_from_db()
    assert symptom.meaning == "An editor's clearer wording."

    out = io.StringIO()
    call_command("load_content", overwrite=True, stdout=out)
    assert f"overwrote an admin edit: content.Symptom {symptom.code}" in out.getvalue()
    symptom.refresh_from_db()
    assert symptom.meaning != "An editor's clearer wording."
    # The editor's version is still in the history.
    assert symptom.history.filter(meaning="An editor's clearer wording.").exists()
