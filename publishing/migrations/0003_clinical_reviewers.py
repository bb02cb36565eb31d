"""The Clinical reviewers group: clinicians who read articles in the admin and sign off
one exact version of one (content.ClinicalSignOff), so its page says "Reviewed by NAME,
ROLE on DATE". They change no content: they see articles and their parts read-only, and
sign off. Editors and Clinical safety cannot sign off (a superuser can)."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CLINICAL_REVIEWERS = "Clinical reviewers"
READ = [
    "condition",
    "redflag",
    "conditionsymptom",
    "symptom",
    "source",
    "remedy",
    "diagnostictest",
    "warningsign",
    "clinicalsignoff",
]
CODENAMES = [f"view_{model}" for model in READ] + ["sign_off_condition"]


def create_group(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CLINICAL_REVIEWERS)
    group.permissions.set(
        [Permission.objects.get(content_type__app_label="content", codename=c) for c in CODENAMES]
    )


def remove_group(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=CLINICAL_REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_warning_sign_roles"),
        ("content", "0009_clinical_sign_off"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
