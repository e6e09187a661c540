"""Image operations the image workers run, as one table from operation name to pipeline.

A pipeline takes the worker runtime, the decoded images keyed by request member, and the
validated parameters, and returns the operation's response body.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.workers.runtime import WorkerRuntime

Pipeline = Callable[[WorkerRuntime, Mapping[str, DecodedImage], Mapping[str, Any]], dict[str, Any]]


def detect_faces(
    runtime: WorkerRuntime, images: Mapping[str, DecodedImage], params: Mapping[str, Any]
) -> dict[str, Any]:
    analyzer = runtime.registry.get(Task.FACE_DETECTION)
    attributes = frozenset(params.get("Attributes") or ["DEFAULT"])
    faces = analyzer.detect_faces(images["Image"].pixels, attributes)
    return {"FaceDetails": faces}


PIPELINES: dict[str, Pipeline] = {
    "DetectFaces": detect_faces,
}
