"""DetectCustomLabels on the image workers: a RUNNING project version's model on one image.

``MinConfidence`` (0-100) defaults to each label's threshold chosen in training (the F1-maximising
confidence on the test set); ``MaxResults`` keeps the most confident labels. Detection models give
each label a Geometry (BoundingBox and the box's four corners as Polygon, ratios of the image).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.errors import ResourceNotReadyException
from argus.core.images import DecodedImage
from argus.custom_labels import repository
from argus.custom_labels.replicas import model_for
from argus.custom_labels.states import VersionStatus
from argus.workers.image.labels import bounding_box
from argus.workers.runtime import WorkerRuntime


def _served(runtime: WorkerRuntime, task: ImageTask) -> tuple[repository.Served, dict[str, float]]:
    arn = str(task.params["ProjectVersionArn"])
    with runtime.db.session() as session:
        version = repository.find_version(session, task.account_id, arn)
        if version.status != VersionStatus.RUNNING:
            raise ResourceNotReadyException(
                f"ProjectVersion {arn} is {version.status}, not RUNNING: start it with StartProjectVersion"
            )
        return (
            repository.Served(
                version.pk,
                version.arn,
                version.status,
                version.min_inference_units or 1,
                version.kind or "detection",
                list(version.labels),
                version.weights_key or "",
                str(version.output_config.get("S3Bucket", "")),
            ),
            dict(version.thresholds),
        )


def geometry(box: tuple[float, float, float, float], width: int, height: int) -> dict[str, Any]:
    bbox = bounding_box(box, width, height)
    left, top = bbox["Left"], bbox["Top"]
    right, bottom = left + bbox["Width"], top + bbox["Height"]
    corners = [(left, top), (right, top), (right, bottom), (left, bottom)]
    return {"BoundingBox": bbox, "Polygon": [{"X": x, "Y": y} for x, y in corners]}


def detect_custom_labels(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    served, thresholds = _served(runtime, task)
    model = model_for(runtime.settings, runtime.store, runtime.registry, served)
    image = images["Image"]
    asked = task.params.get("MinConfidence")
    floor = float(asked) if asked is not None else min(thresholds.values(), default=0.0)
    predictions = model.predict(image.pixels, min_confidence=max(floor / 100, 0.001))
    labels = []
    for prediction in predictions:
        confidence = prediction.confidence * 100
        threshold = float(asked) if asked is not None else thresholds.get(prediction.label, 50.0)
        if confidence < threshold:
            continue
        label: dict[str, Any] = {"Name": prediction.label, "Confidence": confidence}
        if prediction.box is not None:
            label["Geometry"] = geometry(prediction.box, image.width, image.height)
        labels.append(label)
    max_results = task.params.get("MaxResults")
    if max_results is not None:
        labels = labels[: int(max_results)]
    return {"CustomLabels": labels}
