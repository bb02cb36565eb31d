"""Both editorial roles edit the shared warning signs of the "When to get help" page
(content.WarningSign), as they edit the red flags that link to them."""

from django.apps.registry import Apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ROLES = {"Editors": ["add", "change", "view"], "Clinical safety": ["add", "change", "view"]}


def add_permissions(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="content",
                codename__in=[f"{action}_warningsign" for action in actions],
            )
        )


def remove_permissions(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)):
        group.permissions.remove(
            *Permission.objects.filter(codename__endswith="_warningsign")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_editor_roles"),
        ("content", "0008_warning_signs"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
