"""The Jinja2 environment of the checker's pages (triage/jinja2/triage/).

Those pages are personal, so no cache can serve them: each is rendered for every request,
and with Jinja2 a result page's whole request took about a quarter less time in-process
than with Django's templates (measured through Django's WSGI handler). The rest of the
site keeps Django's templates. Both share the header, footer, care cards and other fixed
pieces, which stay Django templates rendered once per process: `once()` here is the
`{% once %}` tag's own function (twitchsite/fragments.py).
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import date
from jinja2 import Environment

from twitchsite.fragments import once


def environment(**options: Any) -> Environment:
    env = Environment(**options)
    env.globals["once"] = once
    env.filters["date"] = date  # Django's, so dates read as on the rest of the site
    return env
