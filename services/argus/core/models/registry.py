"""The model registry: every model Argus can run, keyed by task, loaded lazily once per process.

This is the one place that holds mutable global state: loaded models are expensive, so each
worker process loads a model the first time a task needs it (under a lock, so concurrent
threads load it once) and keeps it. Everything else asks the registry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from argus.core.config import Settings
from argus.core.models import files

FACE_MODEL_VERSION = "1.0"
"""The face model generation a collection's embeddings belong to (docs/models.md says which models)."""


class Task(StrEnum):
    FACE_DETECTION = "face-detection"


@dataclass(frozen=True)
class ModelSpec:
    task: Task
    name: str
    version: str
    licence: str
    source: str
    weights: Callable[[Settings], list[Path]]
    load: Callable[[Settings], Any]


@dataclass
class ModelStatus:
    spec: ModelSpec
    paths: list[Path] = field(default_factory=list)
    missing: str | None = None
    loaded: bool = False


def _face_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.MEDIAPIPE, "face_detection_full_range_sparse.tflite"),
        files.dlib_model("shape_predictor_68_face_landmarks.dat"),
    ]


def _load_face_analyzer(settings: Settings) -> Any:
    from argus.vision.faces.analyzer import FaceAnalyzer

    return FaceAnalyzer.from_files(settings.model_dir / files.MEDIAPIPE.subdir)


SPECS: tuple[ModelSpec, ...] = (
    ModelSpec(
        task=Task.FACE_DETECTION,
        name="blazeface-full-range+dlib-68",
        version="1.0",
        licence="Apache-2.0 (MediaPipe BlazeFace); dlib shape predictor: Boost/CC0 (face_recognition_models)",
        source="PyPI mediapipe==0.10.21 (extracted by `argus models fetch`), face-recognition-models==0.3.0",
        weights=_face_weights,
        load=_load_face_analyzer,
    ),
)


class ModelRegistry:
    def __init__(self, settings: Settings, specs: tuple[ModelSpec, ...] = SPECS) -> None:
        self.settings = settings
        self._specs = {spec.task: spec for spec in specs}
        self._loaded: dict[Task, Any] = {}
        self._lock = threading.Lock()

    def spec(self, task: Task) -> ModelSpec:
        return self._specs[task]

    def get(self, task: Task) -> Any:
        model = self._loaded.get(task)
        if model is not None:
            return model
        with self._lock:
            if task not in self._loaded:
                self._loaded[task] = self._specs[task].load(self.settings)
            return self._loaded[task]

    def status(self) -> list[ModelStatus]:
        report = []
        for task, spec in self._specs.items():
            entry = ModelStatus(spec=spec, loaded=task in self._loaded)
            try:
                entry.paths = spec.weights(self.settings)
            except files.ModelFileMissing as missing:
                entry.missing = str(missing)
            report.append(entry)
        return report

    def missing(self) -> list[str]:
        return [f"{entry.spec.task}: {entry.missing}" for entry in self.status() if entry.missing]
