"""The operator-supplied YOLO path: a ``*.pt`` in ``model_dir/yolo`` replaces BlazePose for instances.

No trained COCO weights install offline, so this checks the loading and inference path with a YOLO
model built from ultralytics' own architecture file (random weights: it finds nothing, and nothing
breaks). The mapping of YOLO classes onto the taxonomy is checked with a stand-in detector in
``test_labels_response.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.labels import build_detector
from argus.vision.labels.classifier import WEIGHTS_FILE
from argus.vision.labels.yolo import YoloDetector, find_weights


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("ultralytics") is None:
        pytest.skip("ultralytics is not installed")
    from ultralytics import YOLO

    folder = tmp_path_factory.mktemp("models")
    (folder / "yolo").mkdir()
    YOLO("yolov8n.yaml").save(str(folder / "yolo" / "untrained.pt"))
    return folder


def test_no_yolo_folder_means_no_yolo(tmp_path: Path) -> None:
    assert find_weights(tmp_path) is None
    (tmp_path / "yolo").mkdir()
    assert find_weights(tmp_path) is None


def test_a_yolo_checkpoint_replaces_the_person_detector(model_dir: Path, bus: NDArray[np.uint8]) -> None:
    real = Settings().model_dir
    if not (real / files.MOBILENET_V2.subdir / WEIGHTS_FILE).is_file():
        pytest.skip("run `argus models fetch`")
    assert find_weights(model_dir) == model_dir / "yolo" / "untrained.pt"
    detector = build_detector(
        real / files.MOBILENET_V2.subdir, real / files.MEDIAPIPE_BODY.subdir, model_dir, "cpu"
    )
    assert isinstance(detector.objects, YoloDetector)
    assert detector.people is None
    assert len(detector.objects.names) == 80
    labels = {label.name: label for label in detector.detect(bus)}
    assert labels["Vehicle"].confidence > 90  # the classifier still labels the scene
    assert all(not label.instances for label in labels.values())  # random weights find nothing
