"""Create the "Editors" group with only what editors need: add, change and view articles
and their parts, change and view (never add or delete) checker findings and rules.
Nobody in the group can delete anything or manage users."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

EDITORS = "Editors"
# (app, model): actions
PERMISSIONS = {
    ("content", "condition"): ["add", "change", "view"],
    ("content", "redflag"): ["add", "change", "view"],
    ("content", "conditionsymptom"): ["add", "change", "view"],
    ("content", "remedy"): ["add", "change", "view"],
    ("content", "source"): ["add", "change", "view"],
    ("content", "diagnostictest"): ["add", "change", "view"],
    ("content", "symptom"): ["change", "view"],
    ("triage", "step"): ["change", "view"],
    ("triage", "question"): ["change", "view"],
    ("triage", "option"): ["change", "view"],
    ("triage", "combinationrule"): ["change", "view"],
}


def create_editors(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Permissions are normally created after all migrations (post_migrate); make sure
    # they exist now, on a fresh database too.
    for label in ("content", "triage"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app, codename=f"{action}_{model}"
        )
        for (app, model), actions in PERMISSIONS.items()
        for action in actions
    ]
    group.permissions.set(wanted)


def remove_editors(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0001_initial"),
        ("triage", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
