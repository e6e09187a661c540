"""DetectLabels on the image workers: labels of the taxonomy, their parents, categories and instances.

Request semantics follow Rekognition: ``MinConfidence`` (default 55) drops labels and instances below
it; ``MaxLabels`` (default and most 1000) keeps the most confident labels; ``Settings.GeneralLabels``
filters by label name or category (inclusion filters keep only what they name; exclusion filters win
over inclusion filters; names are matched ignoring case). Every ancestor of a returned label is
itself a label of the response (it is at least as confident as its descendants), unless a filter or
``MaxLabels`` removes it.

``Features`` defaults to ``GENERAL_LABELS``. ``IMAGE_PROPERTIES`` adds ``ImageProperties`` (quality and
dominant colours of the whole image, :mod:`argus.vision.labels.properties`; no Foreground/Background)
and the dominant colours of each returned instance, up to ``Settings.ImageProperties.MaxDominantColors``
(default 10). Without ``GENERAL_LABELS`` no labels are detected and ``Labels`` is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.images import DecodedImage
from argus.core.models.registry import Task
from argus.vision.labels import properties
from argus.vision.labels.detector import Instance, Label
from argus.workers.runtime import WorkerRuntime

DEFAULT_MIN_CONFIDENCE = 55.0
DEFAULT_MAX_LABELS = 1000
LABEL_MODEL_VERSION = "3.0"
"""The response shape generation (labels with Parents, Aliases and Categories, as Rekognition's 3.0)."""
GENERAL_LABELS = "GENERAL_LABELS"
IMAGE_PROPERTIES = "IMAGE_PROPERTIES"


def detect_labels(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params = task.params
    features = set(params.get("Features") or [GENERAL_LABELS])
    image = images["Image"]
    settings = params.get("Settings") or {}
    colours: int | None = None
    if IMAGE_PROPERTIES in features:
        colours = int(
            (settings.get("ImageProperties") or {}).get("MaxDominantColors", properties.DEFAULT_MAX_COLOURS)
        )
    response: dict[str, Any] = {}
    if GENERAL_LABELS in features:
        detector = runtime.registry.get(Task.LABEL_DETECTION)
        labels: list[Label] = detector.detect(image.pixels)
        response["Labels"] = select(
            labels,
            image.width,
            image.height,
            min_confidence=float(params.get("MinConfidence", DEFAULT_MIN_CONFIDENCE)),
            max_labels=int(params.get("MaxLabels", DEFAULT_MAX_LABELS)),
            settings=settings.get("GeneralLabels") or {},
            pixels=image.pixels if colours is not None else None,
            colours=colours or 0,
        )
    if colours is not None:
        response["ImageProperties"] = properties.image_properties(image.pixels, colours)
    response["LabelModelVersion"] = LABEL_MODEL_VERSION
    return response


def _names(values: Iterable[str] | None) -> set[str]:
    return {value.strip().lower() for value in values or ()}


def passes_filters(label: Label, settings: Mapping[str, Any]) -> bool:
    """Rekognition's GeneralLabelsSettings: inclusion filters (by name or category) keep only what they
    name, exclusion filters drop what they name and win over inclusion."""
    name = label.name.lower()
    categories = {category.lower() for category in label.info.categories}
    include, include_categories = (
        _names(settings.get("LabelInclusionFilters")),
        _names(settings.get("LabelCategoryInclusionFilters")),
    )
    if name in _names(settings.get("LabelExclusionFilters")):
        return False
    if categories & _names(settings.get("LabelCategoryExclusionFilters")):
        return False
    if include or include_categories:
        return name in include or bool(categories & include_categories)
    return True


def bounding_box(box: tuple[float, float, float, float], width: int, height: int) -> dict[str, float]:
    left = min(max(box[0] / width, 0.0), 1.0)
    top = min(max(box[1] / height, 0.0), 1.0)
    right = min(max(box[2] / width, 0.0), 1.0)
    bottom = min(max(box[3] / height, 0.0), 1.0)
    return {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top}


def _instance(
    instance: Instance, width: int, height: int, pixels: Any = None, colours: int = 0
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "BoundingBox": bounding_box(instance.box, width, height),
        "Confidence": instance.confidence,
    }
    if pixels is not None:
        out["DominantColors"] = properties.dominant_colours(properties.crop(pixels, instance.box), colours)
    return out


def select(
    labels: list[Label],
    width: int,
    height: int,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_labels: int = DEFAULT_MAX_LABELS,
    settings: Mapping[str, Any] | None = None,
    pixels: Any = None,
    colours: int = 0,
) -> list[dict[str, Any]]:
    """The response's ``Labels``: most confident first, filtered, at most ``max_labels``; with
    ``pixels``, each instance also gets up to ``colours`` dominant colours of its box."""
    from argus.vision.labels.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    chosen = [
        label
        for label in labels
        if label.confidence >= min_confidence and passes_filters(label, settings or {})
    ]
    chosen.sort(key=lambda label: (-label.confidence, label.name))
    out = []
    for label in chosen[: max(0, min(max_labels, DEFAULT_MAX_LABELS))]:
        parents = taxonomy.ancestors(label.name) if label.name in taxonomy.labels else ()
        out.append(
            {
                "Name": label.name,
                "Confidence": label.confidence,
                "Instances": [
                    _instance(instance, width, height, pixels, colours)
                    for instance in label.instances
                    if instance.confidence >= min_confidence
                ],
                "Parents": [{"Name": parent} for parent in parents],
                "Aliases": [{"Name": alias} for alias in label.info.aliases],
                "Categories": [{"Name": category} for category in label.info.categories],
            }
        )
    return out
