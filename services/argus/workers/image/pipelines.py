"""Image operations the image workers run, as one table from operation name to pipeline.

A pipeline takes the worker runtime, the task (account, region, validated parameters) and the
decoded images keyed by request member, and returns the operation's response body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.workers.image import celebrities, custom_labels, faces, moderation
from argus.workers.image.labels import detect_labels
from argus.workers.image.ppe import detect_protective_equipment
from argus.workers.image.text import detect_text
from argus.workers.runtime import WorkerRuntime

Pipeline = Callable[[WorkerRuntime, ImageTask, Mapping[str, DecodedImage]], dict[str, Any]]


def detect_faces(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    analyzer = runtime.registry.get(Task.FACE_DETECTION)
    attributes = frozenset(task.params.get("Attributes") or ["DEFAULT"])
    return {"FaceDetails": analyzer.detect_faces(images["Image"].pixels, attributes)}


PIPELINES: dict[str, Pipeline] = {
    "DetectFaces": detect_faces,
    "IndexFaces": faces.index_faces,
    "SearchFacesByImage": faces.search_faces_by_image,
    "SearchFaces": faces.search_faces,
    "CompareFaces": faces.compare_faces,
    "DetectModerationLabels": moderation.detect_moderation_labels,
    "RecognizeCelebrities": celebrities.recognize_celebrities,
    "DetectText": detect_text,
    "DetectLabels": detect_labels,
    "DetectProtectiveEquipment": detect_protective_equipment,
    "DetectCustomLabels": custom_labels.detect_custom_labels,
}
