"""The static files' storage: whitenoise's hashed, compressed files, with each file's
address worked out once per process.

ManifestStaticFilesStorage.url() parses and rebuilds the name on every `{% static %}`:
four of them were a tenth of a checker page's render. The manifest is fixed while the
process runs (collectstatic happens before the servers start), so the answer is too.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if settings.DEBUG or force or name is None:  # DEBUG serves unhashed names
            return str(super().url(name, force))
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = str(super().url(name))
            return url
