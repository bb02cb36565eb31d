"""A person's checker answers, kept only in their browser, encrypted.

Nothing is written to the database, the cache, logs or URLs. The cookie holds
{step slug: [finding codes]} encrypted and authenticated with Fernet (AES-128-CBC and
HMAC-SHA256, from `cryptography`), with a key derived from SECRET_KEY: without the key
nobody can read the answers (a shared computer, a proxy that logs cookies) or change them
unnoticed, and any server with the same key can read them. Cookies made with a key in
SECRET_KEY_FALLBACKS still open, so the key can be rotated without losing anyone's answers.
It expires an hour after the last answer (settings.CHECKER_STATE_MAX_AGE), both in the
browser and when read (Fernet tokens carry their time, authenticated).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import struct
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

COOKIE = "checker"
PATH = "/check/"
_KEY_SALT = "twitchsite.triage.state"
_CODE = re.compile(r"^[a-z0-9_-]{1,60}$")
_CLOCK_SKEW = 60  # seconds a token's time may be ahead of this server's clock

Answers = dict[str, list[str]]


class StateError(Exception):
    """The answers cookie could not be used: `expired` or `tampered`."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@functools.lru_cache(maxsize=8)
def _fernet(secret: str) -> Fernet:
    """A Fernet key of its own for the checker, derived from a secret key (never the key
    itself), so nothing else signed with SECRET_KEY can be mistaken for answers."""
    digest = salted_hmac(_KEY_SALT, "fernet", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    """The current key first (it encrypts); the fallbacks only decrypt."""
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(data: object, at: float | None = None) -> str:
    """`data` as JSON, encrypted with the current key (the cookie's value), dated now or
    `at` (a Unix time)."""
    plain = json.dumps(data, separators=(",", ":")).encode()
    return _keys().encrypt_at_time(plain, int(time.time() if at is None else at)).decode("ascii")


def open_sealed(value: str) -> object:
    """What `seal` sealed. Raises StateError: "tampered" if no key opens it (made up,
    changed, or sealed with a key no longer kept), "expired" if it is too old."""
    keys = _keys()
    try:
        token = value.encode("ascii")
        raw = base64.urlsafe_b64decode(token)
        # Only the exact text we wrote: base64 decoding would skip stray characters, so a
        # changed cookie could otherwise still open.
        if base64.urlsafe_b64encode(raw) != token:
            raise StateError("tampered")
        plain = keys.decrypt(token)
        # Fernet's layout: a version byte, then the time as 8 bytes, which decrypt() has
        # just authenticated (extract_timestamp() would check the signature a second time).
        (sealed_at,) = struct.unpack(">Q", raw[1:9])
    except (InvalidToken, UnicodeError, binascii.Error) as error:
        raise StateError("tampered") from error
    age = time.time() - sealed_at
    if age > settings.CHECKER_STATE_MAX_AGE or age < -_CLOCK_SKEW:
        raise StateError("expired")
    try:
        return json.loads(plain)
    except ValueError as error:
        raise StateError("tampered") from error


def load(request: HttpRequest) -> Answers:
    """The person's answers so far; {} if they have none. Raises StateError if the cookie
    is expired, or was changed or made up (it does not open, or holds an odd shape)."""
    value = request.COOKIES.get(COOKIE)
    if not value:
        return {}
    data = open_sealed(value)
    if not _well_formed(data):
        raise StateError("tampered")
    assert isinstance(data, dict)  # _well_formed checked it
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
    return seal(answers)


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
