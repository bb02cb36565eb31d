from django import template
from django.utils.safestring import SafeString

from content.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """{{ condition.what_it_is|markdown }}: editors' Markdown as clean HTML."""
    return render_markdown(text)
