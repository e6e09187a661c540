"""A trained Custom Labels model in memory: predict labels (and boxes, for detection models).

Image workers hold these in the model registry, keyed by project version ARN
(:meth:`argus.core.models.registry.ModelRegistry.keyed`); training uses the same class to evaluate.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.ultralytics import detected_boxes, ultralytics

MAX_DETECTIONS = 100


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float  # 0-1
    box: tuple[float, float, float, float] | None = None  # left, top, right, bottom in pixels


class CustomModel:
    def __init__(self, model: Any, kind: str, labels: list[str], image_size: int, device: str) -> None:
        self._model = model
        self.kind = kind
        self.labels = labels
        self.image_size = image_size
        self.device = device
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: Path, kind: str, labels: list[str], image_size: int, device: str) -> CustomModel:
        return cls(ultralytics().YOLO(str(path)), kind, labels, image_size, device)

    @classmethod
    def from_bytes(
        cls, data: bytes, kind: str, labels: list[str], image_size: int, device: str
    ) -> CustomModel:
        with tempfile.TemporaryDirectory(prefix="argus-custom-model-") as folder:
            path = Path(folder) / "model.pt"
            path.write_bytes(data)
            return cls.from_file(path, kind, labels, image_size, device)

    def _label(self, names: dict[int, str], cls: int) -> str:
        if self.kind == "classification":
            return self.labels[int(names[cls])]  # class folders are named by label index
        return self.labels[cls]

    def predict(self, rgb: NDArray[np.uint8], min_confidence: float = 0.001) -> list[Prediction]:
        """Labels at or above ``min_confidence`` (0-1), most confident first."""
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])  # ultralytics reads numpy images as OpenCV BGR
        with self._lock:
            results: list[Any] = self._model.predict(
                bgr,
                imgsz=self.image_size,
                conf=min_confidence,
                max_det=MAX_DETECTIONS,
                device=self.device,
                verbose=False,
            )
        found: list[Prediction] = []
        for result in results:
            names = {int(key): str(value) for key, value in result.names.items()}
            if self.kind == "classification":
                probs = result.probs.data.cpu().numpy()
                for cls, confidence in enumerate(probs):
                    if confidence >= min_confidence:
                        found.append(Prediction(self._label(names, cls), float(confidence)))
                continue
            for cls, confidence, box in detected_boxes(result):
                found.append(Prediction(self._label(names, cls), confidence, box))
        found.sort(key=lambda prediction: -prediction.confidence)
        return found
