"""The two editorial roles, on content and the checker alike (so they live here, in the app
that knows both). Editors edit articles only: text, red flags, remedies, sources, tests.
Changing the checker's knowledge (findings, pages, questions, options, rules, a condition's
typical symptoms) needs Clinical safety. Neither group can manage users; only Clinical
safety can delete the checker's parts (the admin still refuses deleting a rule of the
clinical brief).

Before this app existed the roles were set by content/0002 and triage/0003 (now empty); on
a database that ran them this sets the same permissions again."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

EDITORS = "Editors"
CLINICAL_SAFETY = "Clinical safety"
ARTICLES = ["condition", "redflag", "remedy", "source", "diagnostictest"]
KNOWLEDGE = [
    ("content", "symptom"),
    ("content", "conditionsymptom"),
    ("triage", "step"),
    ("triage", "question"),
    ("triage", "option"),
    ("triage", "combinationrule"),
]
# (app, model): actions
ROLES = {
    EDITORS: {
        **{("content", model): ["add", "change", "view"] for model in ARTICLES},
        **{key: ["view"] for key in KNOWLEDGE},
    },
    CLINICAL_SAFETY: {
        ("content", "condition"): ["change", "view"],
        ("content", "redflag"): ["add", "change", "delete", "view"],
        ("content", "symptom"): ["add", "change", "view"],
        ("content", "conditionsymptom"): ["add", "change", "delete", "view"],
        ("triage", "step"): ["add", "change", "view"],
        ("triage", "question"): ["add", "change", "delete", "view"],
        ("triage", "option"): ["add", "change", "delete", "view"],
        ("triage", "combinationrule"): ["add", "change", "delete", "view"],
        **{("content", model): ["view"] for model in ["remedy", "source", "diagnostictest"]},
    },
}


def _set_roles(apps: Apps, roles: dict) -> None:
    for label in ("content", "triage"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
                for (app, model), actions in permissions.items()
                for action in actions
            ]
        )


def create_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _set_roles(apps, ROLES)


def remove_roles(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0006_history_of_related_links"),
        ("triage", "0003_clinical_safety_group"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
