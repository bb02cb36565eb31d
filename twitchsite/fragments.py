"""`{% once "name.html" key=value ... %}`: a piece of a page that depends only on the settings,
the URLconf, the static files and a few small values (an urgency level, a flag), rendered
once per process for each set of values and then reused as it is.

Every page past the page cache (each checker step and result: Jinja2 templates, which call
`once()` as a function, twitchsite/jinja.py) renders the header, footer and scripts' tags,
and a result its care card and safety net: together a third of the result's rendering
when it was a Django template. Such a template gets only the site's values
(twitchsite/context_processors.py) and the values given, never the request: so nothing
personal may be passed, only values with a handful of possibilities (`urgency`, not the
answers), and a template holding a form's CSRF token cannot be one.
"""

from __future__ import annotations

import threading

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from twitchsite.context_processors import site_values

register = template.Library()

MAX_KEPT = 256  # far more than the templates' few combinations; a bound all the same
_rendered: dict[tuple[object, ...], SafeString] = {}
_lock = threading.Lock()


@register.simple_tag
def once(name: str, **values: str | int | bool | None) -> SafeString:
    for value in values.values():
        if value is not None and not isinstance(value, str | int | bool):
            raise TypeError(f"{{% once %}} takes small plain values, not {type(value)}")
    # Keyed by the settings shown too: tests change them, and DEBUG serves other files.
    key = (name, *sorted(values.items()), settings.EMERGENCY_NUMBER, settings.SITE_NAME,
           settings.DEBUG)  # fmt: skip
    html = _rendered.get(key)
    if html is None:
        html = mark_safe(render_to_string(name, {**site_values(), **values}).strip())  # noqa: S308
        with _lock:
            if len(_rendered) >= MAX_KEPT:
                _rendered.clear()
            _rendered[key] = html
    return html


def forget() -> None:
    """Render every fragment afresh (tests that change the templates' settings)."""
    with _lock:
        _rendered.clear()
