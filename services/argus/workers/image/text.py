"""DetectText on the image workers: lines and words of the image, filtered as the request asks.

The filters are checked before the models run (a bad region fails fast), the reader comes from the
model registry (loaded once per process), and :mod:`argus.vision.text.detections` builds the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.vision.text.detections import TextFilters, text_detections
from argus.workers.runtime import WorkerRuntime


def detect_text(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    image = images["Image"]
    filters = TextFilters.parse(task.params.get("Filters"))
    reader = runtime.registry.get(Task.TEXT_DETECTION)
    lines = reader.read(image.pixels)
    return {
        "TextDetections": text_detections(lines, filters, image.width, image.height),
        "TextModelVersion": reader.model_version,
    }
