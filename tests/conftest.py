"""Fixtures every test may use: real images from packages and the shared data folder."""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

# Ultralytics (used only for its sample photos and the self-trained YOLO test) must never reach
# the network for fonts, assets or checks.
os.environ.setdefault("YOLO_OFFLINE", "1")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def ultralytics_asset(name: str) -> Path:
    """A real photo shipped in the ultralytics wheel (installed --no-deps for its assets)."""
    spec = importlib.util.find_spec("ultralytics")
    assert spec is not None and spec.submodule_search_locations, "pip install --no-deps ultralytics"
    return Path(next(iter(spec.submodule_search_locations))) / "assets" / name


def encode(pixels: np.ndarray, fmt: str = "JPEG", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def astronaut_jpeg() -> bytes:
    import skimage.data

    return encode(skimage.data.astronaut(), quality=95)


@pytest.fixture(scope="session")
def zidane_jpeg() -> bytes:
    return ultralytics_asset("zidane.jpg").read_bytes()


@pytest.fixture(scope="session")
def coffee_jpeg() -> bytes:
    import skimage.data

    return encode(skimage.data.coffee(), quality=95)


@pytest.fixture
def scratch_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database on the local server, dropped afterwards."""
    from tests.e2e.servers import postgres_database

    with postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def shared_faces() -> Path:
    folder = SHARED_DATA / "faces"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not present on this machine")
    return folder
