"""The request type of every page that answers htmx (django-htmx's middleware sets
`request.htmx`), so views read it typed rather than through getattr."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
