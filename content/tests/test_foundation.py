"""The content foundation: migrations and the Markdown sanitiser. (Loading the fixtures,
which hold the checker's parts too, is tested in publishing/tests/test_fixture_loading.py.)"""

import io

import pytest
from django.core.management import call_command

from content.markdown import render_markdown
from content.tests.helpers import Elements


@pytest.mark.django_db
def test_no_pending_migrations() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="/x" hx-get="/admin/" hx-trigger="load">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<p style="position:fixed">x</p>',
    '<div onmouseover="alert(1)">x</div>',
    "<iframe src=https://evil.example></iframe>",
    '[x](https://ok.example "t" onclick=alert(1))',
    "<svg><script>alert(1)</script></svg>",
    "![x](javascript:alert(1))",
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_payloads_do_not_survive(payload: str) -> None:
    html = str(render_markdown(f"Before {payload} after"))
    for tag, attrs in Elements(html).tags:
        assert tag not in {"script", "iframe", "svg", "style", "img", "object", "embed"}, html
        for name, value in attrs.items():
            assert not name.startswith(("on", "hx-", "data-hx")) and name != "style", html
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), html


def test_markdown_keeps_ordinary_formatting() -> None:
    html = str(render_markdown("**Bold**, a [link](https://www.nhs.uk/) and\n\n- a list"))
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://www.nhs.uk/"' in html
    assert "<li>a list</li>" in html
