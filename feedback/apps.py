"""The feedback app's configuration."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Readers' answers to "Was this page helpful?" on the articles and the checker's
    result. It imports neither app: the pages that ask are named in settings.FEEDBACK_PAGES."""

    name = "feedback"
    verbose_name = "Readers' feedback"
