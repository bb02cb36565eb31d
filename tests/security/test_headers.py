"""Security headers and cookie flags on every kind of page, the admin included."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, override_settings

from tests.security.conftest import EDITOR_PASSWORD, admin_pages
from tests.security.pages import FIXED_PAGES, checker_responses, require_checker, sitemap_paths

SCRIPT_AND_STYLE = ("script-src", "script-src-elem", "script-src-attr", "style-src",
                    "style-src-elem", "style-src-attr", "default-src")  # fmt: skip


def csp(response: HttpResponse) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    policy: dict[str, list[str]] = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


def assert_safe_headers(response: HttpResponse) -> None:
    where = response.wsgi_request.get_full_path()
    policy = csp(response)
    assert "script-src" in policy and "style-src" in policy, where
    for name in SCRIPT_AND_STYLE:
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*"):
            assert unsafe not in policy.get(name, []), f"{name} allows {unsafe} on {where}"
    assert policy["object-src"] == ["'none'"], where
    assert policy["frame-ancestors"] == ["'none'"], where
    assert policy["base-uri"] == ["'self'"], where
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] in {
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
    }, where  # fmt: skip
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert response.headers["X-Frame-Options"] == "DENY", where


@pytest.mark.django_db
def test_public_pages_send_the_security_headers(client: Client) -> None:
    paths = [*FIXED_PAGES, *sitemap_paths(client), "/sitemap.xml", "/robots.txt"]
    assert len(paths) > len(FIXED_PAGES) + 10  # the sitemap lists the pages and articles
    for path in paths:
        assert_safe_headers(client.get(path))


@pytest.mark.django_db
def test_checker_pages_send_the_security_headers(client: Client) -> None:
    require_checker(client)
    responses = checker_responses(client)
    assert any(r.request["REQUEST_METHOD"] == "POST" for r in responses)
    for response in responses:
        assert_safe_headers(response)


@pytest.mark.django_db
def test_admin_pages_send_the_security_headers(client: Client, editor: User) -> None:
    assert_safe_headers(client.get("/admin/login/"))
    client.force_login(editor)
    for path in admin_pages(editor):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_safe_headers(response)


@pytest.mark.django_db
def test_cookies_are_samesite_and_the_session_cookie_is_httponly(
    client: Client, editor: User
) -> None:
    client.get("/admin/login/")
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] in {"Lax", "Strict"}
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": EDITOR_PASSWORD}
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] in {"Lax", "Strict"}
    assert not session["secure"]  # plain http locally: a Secure cookie would never come back


SECURE_SETTINGS = {
    "SECURE": True,  # the project's own flag (the checker's cookie follows it)
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 60 * 60 * 24 * 365,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


def test_secure_settings_match_what_django_secure_turns_on() -> None:
    """The in-process override below mirrors the settings DJANGO_SECURE=1 really produces
    (checked in a fresh process by tests/security/test_deploy.py)."""
    from tests.security.test_deploy import settings_in_subprocess

    actual = settings_in_subprocess({"DJANGO_SECURE": "1"}, list(SECURE_SETTINGS))
    assert actual == {k: list(v) if isinstance(v, tuple) else v for k, v in SECURE_SETTINGS.items()}


@pytest.mark.django_db
@override_settings(**SECURE_SETTINGS)
def test_behind_https_cookies_are_secure_and_http_is_redirected(editor: User) -> None:
    client = Client(headers={"X-Forwarded-Proto": "https"})
    response = client.get("/")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000

    client.get("/admin/login/")
    assert client.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": EDITOR_PASSWORD}
    )
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True

    plain = Client().get("/conditions/")
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://testserver/conditions/"


@pytest.mark.django_db
@override_settings(**SECURE_SETTINGS)
def test_behind_https_every_checker_cookie_is_secure_and_httponly() -> None:
    """The checker keeps a person's answers in a cookie: it must never travel over plain
    http, nor be readable by scripts."""
    client = Client(headers={"X-Forwarded-Proto": "https"})
    require_checker(client)
    for response in checker_responses(client):
        for name, morsel in response.cookies.items():
            if not morsel.value:
                continue  # a deletion
            assert morsel["secure"] is True, name
            assert morsel["samesite"] in {"Lax", "Strict"}, name
            if name != "csrftoken":
                assert morsel["httponly"] is True, name
