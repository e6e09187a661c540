"""Fixtures for the moderation tests: the real moderation models from the model directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.moderation.moderator import NUDENET_FILE, OPENNSFW_FILE, Moderator


@pytest.fixture(scope="session")
def model_dir() -> Path:
    folder = Settings().model_dir
    for extract, name in ((files.NUDENET, NUDENET_FILE), (files.OPENNSFW, OPENNSFW_FILE)):
        if not (folder / extract.subdir / name).is_file():
            pytest.skip(f"{folder / extract.subdir / name} is missing; run `argus models fetch`")
    return folder


@pytest.fixture(scope="session")
def moderator(model_dir: Path) -> Moderator:
    return Moderator.from_files(model_dir)
