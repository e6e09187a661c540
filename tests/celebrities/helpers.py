"""Helpers of the gallery tests: writing gallery folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"


def person(root: Path, folder: str, info: Any, photos: dict[str, bytes | Path]) -> Path:
    """Write one person folder: ``info`` as info.json (a str is written as is), photos as bytes or links."""
    path = root / folder
    path.mkdir(parents=True)
    if info is not None:
        (path / "info.json").write_text(info if isinstance(info, str) else json.dumps(info))
    for name, content in photos.items():
        if isinstance(content, Path):
            (path / name).symlink_to(content)
        else:
            (path / name).write_bytes(content)
    return path
