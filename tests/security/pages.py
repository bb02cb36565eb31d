"""Which pages exist, found the way a visitor finds them: the sitemap, the fixed pages, and
the checker's pages reached by following its HTML contract (harness/wizard.py)."""

from __future__ import annotations

import random
import re
from urllib.parse import urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client

from conftest import skip_or_fail
from harness import wizard

FIXED_PAGES = ["/", "/search/?q=cramp", "/search/?q=", "/no-such-page/", "/check/"]
MAX_REDIRECTS = 10


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def as_dict(data: wizard.Answers) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for name, value in data:
        merged.setdefault(name, []).append(value)
    return merged


def django_transport(client: Client, log: list[HttpResponse] | None = None) -> wizard.Transport:
    """Let the wizard driver use Django's test client. Redirects are followed by hand so
    that `log` gets every response, the redirects (and the cookies they set) included."""

    def send(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        path = local(url)
        post = method == "POST"
        response = client.post(path, as_dict(data or [])) if post else client.get(path)
        for _ in range(MAX_REDIRECTS):
            if log is not None:
                log.append(response)
            if response.status_code not in {301, 302, 303, 307, 308}:
                break
            path = local(urljoin(path, response.headers["Location"]))
            response = client.get(path)
        return wizard.Response(response.status_code, path, response.content.decode())

    return send


def sitemap_paths(client: Client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return [local(url) for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())]


def checker_is_built(client: Client) -> bool:
    start = wizard.parse(client.get("/check/").content.decode())
    return start.start_href is not None or start.start_form is not None


def require_checker(client: Client) -> None:
    if not checker_is_built(client):
        skip_or_fail("the checker wizard is not built yet (/check/ has no data-wizard=start)")


CHOOSERS = [
    wizard.pick_findings(set()),
    wizard.pick_findings({"kind_flicker", "duration_over_2_weeks"}),
    wizard.pick_randomly(random.Random(1)),
    wizard.pick_randomly(random.Random(2)),
]


def checker_responses(
    client: Client, choosers: list[wizard.Chooser] | None = None
) -> list[HttpResponse]:
    """Every response of complete checker sessions (one per chooser), POSTs included."""
    log: list[HttpResponse] = []
    for choose in choosers or CHOOSERS[:1]:
        wizard.run_session(django_transport(client, log), choose)
    return log
