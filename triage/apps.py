"""The checker app's configuration: registers the safety system check (triage/checks.py)."""

from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Symptom checker"

    def ready(self) -> None:
        from triage import checks  # noqa: F401 - registers the safety system check
