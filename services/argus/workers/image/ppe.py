"""DetectProtectiveEquipment on the image workers.

``SummarizationAttributes`` (``MinConfidence`` 0-100 and ``RequiredEquipmentTypes``) adds the
``Summary``; without it the response has ``ProtectiveEquipmentModelVersion`` and ``Persons`` only, as
Rekognition's does. Models, signals, accuracy and limits: docs/ppe.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.workers.runtime import WorkerRuntime


def detect_protective_equipment(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    detector = runtime.registry.get(Task.PROTECTIVE_EQUIPMENT)
    summarization = task.params.get("SummarizationAttributes")
    response: dict[str, Any] = detector.detect_protective_equipment(images["Image"].pixels, summarization)
    return response
