"""Render editors' Markdown safely: markdown-it-py with raw HTML off, then nh3 cleaning.

markdown-it already refuses raw HTML; nh3 is the second wall, keeping only the tags and
attributes plain articles need, so no script, style, event handler, hx-* attribute or
javascript: link can reach a page even if a renderer bug let one through.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"https", "http", "mailto", "tel"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


@lru_cache(maxsize=2048)
def _render(text: str) -> str:
    html = _md.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
    )


def render_markdown(text: str) -> SafeString:
    """Markdown source to clean HTML, safe to put on a page."""
    return mark_safe(_render(text or ""))  # noqa: S308 - cleaned by nh3 above
