"""Both editorial roles (publishing/migrations/0001_editor_roles.py) read readers' feedback
and may delete an answer, say one in which someone wrote personal details despite the
warning, without waiting for the 90-day purge. Nobody may add or change feedback."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GROUPS = ["Editors", "Clinical safety"]
CODENAMES = ["view_feedback", "delete_feedback"]


def _permissions(apps: Apps) -> list:
    app_config = apps.get_app_config("feedback")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="feedback", codename__in=CODENAMES)
    )


def grant(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    permissions = _permissions(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    permissions = _permissions(apps)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("publishing", "0001_editor_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
