"""Fixtures for the label tests: the real label models from the model directory."""

from __future__ import annotations

import pytest

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.labels.classifier import WEIGHTS_FILE, ImageNetClassifier
from argus.vision.labels.detector import LabelDetector
from argus.vision.labels.persons import DETECTOR_FILE, LANDMARK_FILE, PersonDetector
from argus.vision.labels.taxonomy import Taxonomy, load_taxonomy


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def classifier() -> ImageNetClassifier:
    path = Settings().model_dir / files.MOBILENET_V2.subdir / WEIGHTS_FILE
    if not path.is_file():
        pytest.skip(f"{path} is missing; run `argus models fetch`")
    return ImageNetClassifier(path)


@pytest.fixture(scope="session")
def people() -> PersonDetector:
    folder = Settings().model_dir / files.MEDIAPIPE_BODY.subdir
    for name in (DETECTOR_FILE, LANDMARK_FILE):
        if not (folder / name).is_file():
            pytest.skip(f"{folder / name} is missing; run `argus models fetch`")
    return PersonDetector(folder)


@pytest.fixture(scope="session")
def labeler(taxonomy: Taxonomy, classifier: ImageNetClassifier, people: PersonDetector) -> LabelDetector:
    return LabelDetector(taxonomy, classifier, people=people)
