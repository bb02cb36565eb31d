"""Which pages exist, found the way a visitor finds them: the sitemap, the fixed pages, and
the checker's pages reached by following its HTML contract (harness/wizard.py)."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.test import Client

from conftest import skip_or_fail
from harness import wizard

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

FIXED_PAGES = [
    "/", "/search/?q=cramp", "/search/?q=", "/no-such-page/", "/check/",
    "/feedback/?page=/conditions/leg-cramps/&helpful=yes",
]  # fmt: skip
MAX_REDIRECTS = 10


def django_transport(client: Client, log: list[TestResponse] | None = None) -> wizard.Transport:
    """Let the wizard driver use Django's test client. Redirects are followed by hand so
    that `log` gets every response, the redirects (and the cookies they set) included."""

    def send(method: str, url: str, data: wizard.Answers | None) -> wizard.Response:
        path = wizard.local_path(url)
        post = method == "POST"
        response = client.post(path, wizard.as_dict(data or [])) if post else client.get(path)
        for _ in range(MAX_REDIRECTS):
            if log is not None:
                log.append(response)
            if response.status_code not in {301, 302, 303, 307, 308}:
                break
            path = wizard.local_path(urljoin(path, response.headers["Location"]))
            response = client.get(path)
        return wizard.Response(response.status_code, path, response.content.decode())

    return send


def sitemap_paths(client: Client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return [
        wizard.local_path(url)
        for url in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    ]


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
) -> list[TestResponse]:
    """Every response of complete checker sessions (one per chooser), POSTs included."""
    log: list[TestResponse] = []
    for choose in choosers or CHOOSERS[:1]:
        wizard.run_session(django_transport(client, log), choose)
    return log


# Scripts that hold data, not code (JSON-LD): allowed inline, but must parse as JSON.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


class InlineFinder(HTMLParser):
    """Collects every inline script, style element, style= and on*= attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.metas: dict[str, str] = {}
        self._in_inline_script = False
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name.lower(): value or "" for name, value in attrs}
        for name in a:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            link = a[name].strip().lower()
            if name in {"href", "src", "action", "formaction"} and link.startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in a:
            if a.get("type", "").lower() in DATA_SCRIPT_TYPES:
                self._in_inline_script = True  # data, not code: must still parse as JSON
                self._script_text = []
            else:
                self.problems.append(f"inline <script {a}>")
        if tag == "meta" and "name" in a:
            self.metas[a["name"]] = a.get("content", "")

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_inline_script:
            self._in_inline_script = False
            try:
                json.loads("".join(self._script_text))
            except ValueError:
                self.problems.append("a JSON data <script> that is not valid JSON")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems
