"""WSGI entry point: `gunicorn twitchsite.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchsite.settings")
application = get_wsgi_application()
