"""DetectModerationLabels on the image workers.

``MinConfidence`` (default 50) filters the labels; ``HumanLoopConfig`` is accepted and ignored (Argus
has no human review queue, so it never answers ``HumanLoopActivationOutput``); a ``ProjectVersion``
(a custom moderation adapter) is refused. ``ContentTypes`` is not returned: no installed model tells
illustrated or animated content apart. Labels, models and limits: docs/moderation.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.errors import InvalidParameterException
from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.workers.runtime import WorkerRuntime

DEFAULT_MIN_CONFIDENCE = 50.0
NO_ADAPTERS = "custom moderation adapters are not supported"


def detect_moderation_labels(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params = task.params
    if params.get("ProjectVersion") is not None:
        raise InvalidParameterException(NO_ADAPTERS)
    min_confidence = params.get("MinConfidence")
    if min_confidence is None:
        min_confidence = DEFAULT_MIN_CONFIDENCE
    moderator = runtime.registry.get(Task.CONTENT_MODERATION)
    labels = moderator.moderation_labels(images["Image"].pixels, float(min_confidence))
    return {"ModerationLabels": labels, "ModerationModelVersion": moderator.model_version}
