"""Fixtures for the vision tests: the real face models and real photos as RGB arrays."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageOps

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.faces.analyzer import DETECTOR_FILE, LANDMARKS_FILE, FaceAnalyzer
from argus.vision.faces.blazeface import BlazeFaceDetector
from argus.vision.faces.landmarks import DlibLandmarker

RGB = NDArray[np.uint8]


def load_rgb(path: Path) -> RGB:
    """A photo as an upright RGB uint8 array (EXIF orientation applied, alpha dropped)."""
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def mirrored(rgb: RGB) -> RGB:
    return np.ascontiguousarray(rgb[:, ::-1])


@pytest.fixture(scope="session")
def mediapipe_dir() -> Path:
    folder = Settings().model_dir / files.MEDIAPIPE.subdir
    if not (folder / DETECTOR_FILE).is_file():
        pytest.skip(f"{folder / DETECTOR_FILE} is missing; run `argus models fetch`")
    return folder


@pytest.fixture(scope="session")
def detector(mediapipe_dir: Path) -> BlazeFaceDetector:
    return BlazeFaceDetector(mediapipe_dir / DETECTOR_FILE)


@pytest.fixture(scope="session")
def landmarker() -> DlibLandmarker:
    return DlibLandmarker(files.dlib_model(LANDMARKS_FILE))


@pytest.fixture(scope="session")
def analyzer(detector: BlazeFaceDetector, landmarker: DlibLandmarker) -> FaceAnalyzer:
    return FaceAnalyzer(detector, landmarker)


@pytest.fixture(scope="session")
def ultralytics_assets() -> Path:
    """``ultralytics/assets`` of the installed ultralytics wheel (``pip install --no-deps ultralytics``)."""
    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("ultralytics is not installed; pip install --no-deps ultralytics")
    folder = Path(next(iter(spec.submodule_search_locations))) / "assets"
    if not (folder / "zidane.jpg").is_file():
        pytest.skip(f"{folder} is missing; pip install --no-deps ultralytics")
    return folder


@pytest.fixture(scope="session")
def astronaut() -> RGB:
    import skimage.data

    return np.asarray(skimage.data.astronaut())


@pytest.fixture(scope="session")
def coffee() -> RGB:
    import skimage.data

    return np.asarray(skimage.data.coffee())


@pytest.fixture(scope="session")
def zidane(ultralytics_assets: Path) -> RGB:
    return load_rgb(ultralytics_assets / "zidane.jpg")


@pytest.fixture(scope="session")
def bus(ultralytics_assets: Path) -> RGB:
    return load_rgb(ultralytics_assets / "bus.jpg")
