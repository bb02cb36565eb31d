"""Loading the reviewed fixtures (publishing/fixture_loading.py): into an empty database,
twice without change, never silently over an editor's edit, with clear errors for broken
files; and the finding vocabulary (triage/data/findings.yaml) arrives as Symptom rows."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from content.models import Condition, Symptom
from publishing.fixture_loading import fixture_paths, load_fixtures

FINDINGS = yaml.safe_load((settings.BASE_DIR / "triage/data/findings.yaml").read_text())


@pytest.mark.django_db
def test_one_symptom_per_finding_code_with_the_briefs_level() -> None:
    expected = {code: v for group in FINDINGS.values() for code, v in group.items()}
    symptoms = {s.code: s for s in Symptom.objects.all()}
    assert set(expected) <= set(symptoms)
    for code, spec in expected.items():
        assert symptoms[code].floor_level == (spec["level"] or ""), code
        assert symptoms[code].level == (spec["level"] or ""), code


@pytest.mark.django_db
def test_fixtures_load_into_an_empty_database_and_twice_changes_nothing() -> None:
    call_command("flush", "--noinput", verbosity=0)  # rolled back after the test
    assert not Condition.objects.exists()
    first = load_fixtures()
    assert first.created and not first.conflicts
    second = load_fixtures()
    assert not (second.created or second.updated or second.conflicts)
    assert second.unchanged == len(first.created)


@pytest.mark.django_db
def test_an_admin_edit_is_kept_and_reported_until_overwrite_is_asked_for() -> None:
    condition = Condition.objects.get(slug="leg-cramps")
    condition.summary = "An editor's better summary."
    condition.save()

    report = load_fixtures()
    assert [c for c in report.conflicts if "leg-cramps" in c]
    assert Condition.objects.get(slug="leg-cramps").summary == "An editor's better summary."

    report = load_fixtures(overwrite=True)
    assert any("leg-cramps" in label for label in report.overwritten)
    assert Condition.objects.get(slug="leg-cramps").summary != "An editor's better summary."


@pytest.mark.django_db
def test_a_dangling_slug_in_a_fixture_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- model: content.condition\n  fields:\n    slug: x\n    name: X\n    summary: x\n"
        "    seriousness: see-a-doctor\n    what_it_is: x\n    symptoms: x\n    causes: x\n"
        "    diagnosis: x\n    treatment: x\n    sources: [[no-such-source]]\n"
    )
    with pytest.raises(ValueError, match="does not exist"):
        load_fixtures([*fixture_paths(), bad])


@pytest.mark.django_db
def test_the_same_object_in_two_fixture_files_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text((settings.BASE_DIR / "content/fixtures/sources/brief.yaml").read_text())
    with pytest.raises(ValueError, match="again"):
        load_fixtures([*fixture_paths(), copy])


@pytest.mark.django_db
def test_related_links_of_one_article_survive_loading_the_others() -> None:
    """Each article owns its related list; loading a later file must not erase it."""
    call_command("flush", "--noinput", verbosity=0)
    load_fixtures()
    for path in (settings.BASE_DIR / "content/fixtures/conditions").glob("*.yaml"):
        record = yaml.safe_load(path.read_text())[0]["fields"]
        condition = Condition.objects.get(slug=record["slug"])
        expected = sorted(slug for (slug,) in record.get("related") or [])
        assert sorted(condition.related.values_list("slug", flat=True)) == expected, path.name


@pytest.mark.django_db
def test_a_fixture_change_to_an_object_nobody_edited_is_applied(tmp_path: Path) -> None:
    original = settings.BASE_DIR / "content/fixtures/conditions/leg-cramps.yaml"
    changed = tmp_path / "leg-cramps.yaml"
    records = yaml.safe_load(original.read_text())
    records[0]["fields"]["summary"] = "A reviewed, clearer summary."
    changed.write_text(yaml.safe_dump(records))
    paths = [changed if p == original else p for p in fixture_paths()]

    report = load_fixtures(paths)

    assert not report.conflicts
    assert any("leg-cramps" in label for label in report.updated)
    assert Condition.objects.get(slug="leg-cramps").summary == "A reviewed, clearer summary."


@pytest.mark.django_db
def test_a_field_newly_added_to_a_fixture_is_loaded_not_called_a_conflict(tmp_path: Path) -> None:
    """Upgrading: the fixture gains a field the database holds at its default."""
    original = settings.BASE_DIR / "content/fixtures/conditions/leg-cramps-in-pregnancy.yaml"
    older = tmp_path / original.name
    records = yaml.safe_load(original.read_text())
    del records[0]["fields"]["only_with"]
    older.write_text(yaml.safe_dump(records))
    call_command("flush", "--noinput", verbosity=0)
    load_fixtures([older if p == original else p for p in fixture_paths()])

    report = load_fixtures()

    assert not report.conflicts
    assert any("leg-cramps-in-pregnancy" in label for label in report.updated)
    condition = Condition.objects.get(slug="leg-cramps-in-pregnancy")
    assert list(condition.only_with.values_list("code", flat=True)) == ["pregnant"]
