"""Fixtures for the PPE tests: the real pose, face and face-mask models from the model directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.ppe.detector import ProtectiveEquipmentDetector
from argus.vision.ppe.mask import MODEL_FILE, FaceMaskClassifier
from argus.vision.ppe.persons import PersonFinder
from argus.vision.ppe.pose import DETECTOR_FILE, LANDMARK_FILE, PoseDetector


@pytest.fixture(scope="session")
def model_dir() -> Path:
    folder = Settings().model_dir
    needed = (
        (files.MEDIAPIPE_BODY, DETECTOR_FILE),
        (files.MEDIAPIPE_BODY, LANDMARK_FILE),
        (files.MEDIAPIPE, "face_detection_full_range_sparse.tflite"),
        (files.FACE_MASK, MODEL_FILE),
    )
    for extract, name in needed:
        if not (folder / extract.subdir / name).is_file():
            pytest.skip(f"{folder / extract.subdir / name} is missing; run `argus models fetch`")
    return folder


@pytest.fixture(scope="session")
def poses(model_dir: Path) -> PoseDetector:
    return PoseDetector.from_dir(model_dir / files.MEDIAPIPE_BODY.subdir)


@pytest.fixture(scope="session")
def masks(model_dir: Path) -> FaceMaskClassifier:
    return FaceMaskClassifier(model_dir / files.FACE_MASK.subdir / MODEL_FILE)


@pytest.fixture(scope="session")
def ppe(model_dir: Path) -> ProtectiveEquipmentDetector:
    return ProtectiveEquipmentDetector.from_dirs(
        model_dir / files.MEDIAPIPE_BODY.subdir,
        model_dir / files.MEDIAPIPE.subdir,
        model_dir / files.FACE_MASK.subdir,
    )


@pytest.fixture(scope="session")
def ppe_finder(ppe: ProtectiveEquipmentDetector) -> PersonFinder:
    return ppe.finder
