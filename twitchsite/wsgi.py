"""WSGI entry point: `gunicorn twitchsite.wsgi`. Each server process imports it once, and
is made ready for its first request here (twitchsite/warmup.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchsite.settings")
application = get_wsgi_application()

from twitchsite.warmup import prepare_process  # noqa: E402 - needs the apps loaded

prepare_process()
