"""No lost edits: backups restore content exactly, keeping ids (and so history); a restore
or a load that is malformed, incomplete, invalid or unsafe is refused and changes nothing;
load_content never silently overwrites what editors changed."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from content import bulk
from content import version as content_version
from content.models import Condition, RedFlag, Remedy, SiteVersion, Source, Symptom
from publishing.backup import backup_models, snapshot, write_backup
from publishing.fixture_loading import fixture_paths, load_fixtures
from triage.gate import UnsafeChange


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

    version = content_version.current()
    assert "Restored" in restore(file)
    assert snapshot() == before
    assert content_version.current() > version  # every server sees the restore at once
    restored = Condition.objects.get(slug="leg-cramps")
    assert restored.history.latest().history_change_reason == "restore_content"


@pytest.mark.django_db
def test_a_restore_into_an_empty_database_then_works_normally(tmp_path: Path) -> None:
    before = snapshot()
    file = tmp_path / "content.json"
    backup(file)
    with bulk.writing():  # emptied as a restore empties it, without a refresh per row
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


# ----- restores that cannot hurt (issue 10) -----


def current_backup() -> str:
    buffer = io.StringIO()
    write_backup(buffer)
    return buffer.getvalue()


def refused_restore(path: Path, *words: str, partial: bool = False) -> str:
    """Restore `path`, expect a refusal, and check the content is byte for byte the same."""
    before = current_backup()
    with pytest.raises(CommandError) as refusal:
        call_command("restore_content", str(path), yes=True, partial=partial, stdout=io.StringIO())
    message = str(refusal.value)
    assert message.startswith("Nothing was changed: ")
    for word in words:
        assert word in message
    assert current_backup() == before
    return message


@pytest.mark.django_db
def test_a_backup_of_only_its_first_50_objects_is_refused_unless_partial(tmp_path: Path) -> None:
    file = tmp_path / "content.json"
    backup(file)
    first_50 = tmp_path / "first-50.json"
    first_50.write_text(json.dumps(json.loads(file.read_text())[:50]))
    refused_restore(first_50, "the backup has no", "conditions", "--partial")

    conditions = Condition.objects.count()
    source = Source.objects.order_by("pk").first()
    assert source is not None
    source.title = "Edited after the backup"
    source.save()
    assert "Restored 50" in restore_partial(first_50)
    assert Condition.objects.count() == conditions  # nothing else was deleted
    source.refresh_from_db()
    assert source.title != "Edited after the backup"  # the backup's objects came back


def restore_partial(path: Path) -> str:
    out = io.StringIO()
    call_command("restore_content", str(path), yes=True, partial=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_backup_that_would_make_the_checker_unsafe_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "content.json"
    backup(file)
    records = json.loads(file.read_text())
    for record in records:
        if record["model"] == "content.symptom" and record["fields"]["code"] == "seizure":
            record["fields"].update(level="self-care", floor_level="self-care")
        if record["model"] == "triage.combinationrule":
            record["fields"]["active"] = False
    unsafe = tmp_path / "unsafe.json"
    unsafe.write_text(json.dumps(records))
    message = refused_restore(unsafe, "unsafe", "'seizure' is at 'self-care'", "switched off")
    assert "reference case(s) would get less urgent advice" in message
    refused_restore(unsafe, "unsafe", partial=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe[\x00", "not UTF-8 text"),
        (b'[{"model": "content.source", "fields": {', "not a JSON backup"),
        (b"[]", "holds no content"),
        (b'{"model": "content.source"}', "holds no content"),
        (b'[{"model": "content.source"}]', "must each have a model and fields"),
    ],
    ids=["not-utf8", "cut-short", "empty", "not-a-list", "no-fields"],
)
@pytest.mark.django_db
def test_a_malformed_file_gives_one_line_and_changes_nothing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    text = refused_restore(bad, message)
    assert "\n" not in text


@pytest.mark.django_db
def test_an_invalid_object_in_a_backup_is_refused_with_what_is_wrong(tmp_path: Path) -> None:
    file = tmp_path / "content.json"
    backup(file)
    records = json.loads(file.read_text())
    source = next(r for r in records if r["model"] == "content.source")
    source["fields"]["url"] = "not a web address"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(records))
    refused_restore(bad, "not valid", "url", "Enter a valid URL")


@pytest.mark.django_db
def test_a_restore_keeps_ids_so_the_admin_history_stays_attached(
    tmp_path: Path, editor_client: Client
) -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    condition.summary = "An edit made before the backup."
    condition.save()
    file = tmp_path / "content.json"
    backup(file)
    restore(file)
    restored = Condition.objects.get(slug="leg-cramps")
    assert restored.pk == condition.pk
    reasons = list(restored.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "restore_content"
    assert restored.history.filter(summary="An edit made before the backup.").count() >= 2
    page = editor_client.get(reverse("admin:content_condition_history", args=[restored.pk]))
    assert page.content.decode().count("restore_content") == 1
    assert "load_content" in page.content.decode()  # the older history is still listed


@pytest.mark.django_db
def test_load_content_is_refused_when_the_fixtures_would_make_the_checker_unsafe(
    tmp_path: Path,
) -> None:
    original = settings.BASE_DIR / "content/fixtures/symptoms.yaml"
    changed = tmp_path / "symptoms.yaml"
    records = yaml.safe_load(original.read_text())
    for record in records:
        if record["fields"]["code"] == "seizure":
            record["fields"].update(level="self-care", floor_level="self-care")
    changed.write_text(yaml.safe_dump(records))
    before = current_backup()
    with pytest.raises(UnsafeChange, match="'seizure' is at 'self-care'"):
        load_fixtures([changed if p == original else p for p in fixture_paths()], overwrite=True)
    assert current_backup() == before
