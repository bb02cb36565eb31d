"""The publishing app's configuration: connects the content-version receivers."""

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What knows both content and the checker: loading the reviewed fixtures, backup and
    restore, the content version's receivers, the editorial roles."""

    name = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from publishing import signals

        signals.connect()
