from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Values every template may need: the emergency number and the site's name."""
    return {"EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER, "SITE_NAME": "Twitchy legs"}
