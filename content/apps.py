"""The content app's configuration."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self) -> None:
        from content.search import signals

        signals.connect()
        post_migrate.connect(signals.rebuild_after_migrate, sender=self)
