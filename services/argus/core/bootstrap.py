"""Embedded mode's first start: generate the secrets a cluster operator would have to provide."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from argus.core.auth.keys import new_access_key_id, new_secret_access_key
from argus.core.config import Settings

CREDENTIALS_FILE = "credentials.json"


def embedded_credentials(data_dir: Path) -> dict[str, str]:
    """Read the data directory's credentials, creating them (mode 0600) on first start."""
    path = data_dir / CREDENTIALS_FILE
    if path.is_file():
        stored: dict[str, str] = json.loads(path.read_text())
        return stored
    data_dir.mkdir(parents=True, exist_ok=True)
    created = {
        "secret_key": secrets.token_urlsafe(32),
        "root_access_key_id": new_access_key_id(),
        "root_secret_access_key": new_secret_access_key(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(created, handle, indent=2)
    return created


def complete_settings(settings: Settings) -> Settings:
    """Embedded settings with generated secrets filled in where the environment left them empty."""
    if not settings.embedded:
        return settings
    generated = embedded_credentials(settings.resolved_data_dir)
    updates: dict[str, object] = {"data_dir": settings.resolved_data_dir}
    for field, value in generated.items():
        if getattr(settings, field) is None:
            updates[field] = value
    return settings.model_validate({**settings.model_dump(), **updates})
