"""Once created the Editors group; the editorial roles are now set by
publishing/migrations/0001_editor_roles (the app that knows both content and the checker).
Kept, empty, so databases that ran it keep a consistent migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
    ]

    operations: list[migrations.operations.base.Operation] = []
