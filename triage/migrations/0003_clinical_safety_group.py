"""Once set the editorial roles; they are now set by publishing/migrations/0001_editor_roles
(the app that knows both content and the checker). Kept, empty, so databases that ran it
keep a consistent migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_symptom_context_remedy_only_with"),
        ("triage", "0002_rule_groups"),
    ]

    operations: list[migrations.operations.base.Operation] = []
