"""A person's checker answers, kept only in their browser as a signed cookie.

Nothing is written to the database, the cache, logs or URLs. The cookie holds
{step slug: [finding codes]}, signed with SECRET_KEY (django.core.signing), so any server
with the same key can read it and nobody can change it unnoticed. It expires an hour after
the last answer (settings.CHECKER_STATE_MAX_AGE), both in the browser and when read.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

COOKIE = "checker"
PATH = "/check/"
_SALT = "triage.state"
_CODE = re.compile(r"^[a-z0-9_-]{1,60}$")

Answers = dict[str, list[str]]


class StateError(Exception):
    """The answers cookie could not be used: `expired` or `tampered`."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def load(request: HttpRequest) -> Answers:
    """The person's answers so far; {} if they have none. Raises StateError if the cookie
    is expired, or was changed or made up (a bad signature or an odd shape)."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=_SALT, max_age=settings.CHECKER_STATE_MAX_AGE)
    except signing.SignatureExpired as error:
        raise StateError("expired") from error
    except signing.BadSignature as error:
        raise StateError("tampered") from error
    if not _well_formed(data):
        raise StateError("tampered")
    return {step: list(codes) for step, codes in data.items()}


def _well_formed(data: object) -> bool:
    return isinstance(data, dict) and all(
        isinstance(step, str)
        and _CODE.match(step)
        and isinstance(codes, list)
        and all(isinstance(c, str) and _CODE.match(c) for c in codes)
        for step, codes in data.items()
    )


def dump(answers: Answers) -> str:
    return signing.dumps(answers, salt=_SALT, compress=True)


def save(response: HttpResponse, answers: Answers) -> None:
    response.set_cookie(
        COOKIE,
        dump(answers),
        max_age=settings.CHECKER_STATE_MAX_AGE,
        path=PATH,
        secure=settings.SECURE,
        httponly=True,
        samesite="Lax",
    )


def clear(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, path=PATH, samesite="Lax")
