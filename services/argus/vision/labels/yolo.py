"""Optional object detector: an operator-supplied Ultralytics YOLO model.

No COCO detector weights install from a package registry, so Argus ships none. An operator who has
a YOLO checkpoint (``yolo11n.pt``, or a model of their own classes) drops it into
``$ARGUS_MODEL_DIR/yolo/`` (ultralytics is installed with Argus); the label detector then takes every object's
instances (people included) from it, mapping COCO class names onto the taxonomy and any other class
name onto a label of the same name. Without it, only people get boxes (BlazePose, see
:mod:`argus.vision.labels.persons`).
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.ultralytics import detected_boxes, ultralytics

SUBDIR = "yolo"
MIN_CONFIDENCE = 0.25
MAX_DETECTIONS = 300


def find_weights(model_dir: Path) -> Path | None:
    """The first ``*.pt`` file of ``model_dir/yolo`` when ultralytics is installed, else None."""
    folder = model_dir / SUBDIR
    if not folder.is_dir() or importlib.util.find_spec("ultralytics") is None:
        return None
    weights = sorted(folder.glob("*.pt"))
    return weights[0] if weights else None


@dataclass(frozen=True)
class Detection:
    class_name: str
    confidence: float  # 0-1
    box: tuple[float, float, float, float]  # left, top, right, bottom in pixels


class YoloDetector:
    def __init__(self, weights: Path, device: str = "cpu") -> None:
        yolo: Any = ultralytics().YOLO
        self.weights = weights
        self.device = device
        self._model: Any = yolo(str(weights))
        self.names: dict[int, str] = {int(key): str(value) for key, value in self._model.names.items()}
        self._lock = threading.Lock()

    def detect(self, rgb: NDArray[np.uint8]) -> list[Detection]:
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # ultralytics reads numpy images as OpenCV BGR
        with self._lock:
            results: list[Any] = self._model.predict(
                bgr, conf=MIN_CONFIDENCE, max_det=MAX_DETECTIONS, device=self.device, verbose=False
            )
        found = []
        for result in results:
            for cls, confidence, box in detected_boxes(result):
                found.append(Detection(self.names.get(cls, str(cls)), confidence, box))
        return found
