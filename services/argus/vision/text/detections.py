"""Rekognition's ``TextDetections`` from lines and words: filters, the 100-word limit, ids, geometry.

Filters apply to words: ``WordFilter`` keeps a word whose confidence (0-100) and bounding box height
and width (ratios of the image) reach the minimums; ``RegionsOfInterest`` keeps a word more than half
of whose area lies inside at least one region (a ``BoundingBox`` or a ``Polygon``). A line is kept
when any of its words is, made of its kept words only (text, box and confidence). At most 100 words
are returned, the first in reading order, with the lines that hold them.

Order and ids follow Rekognition's own answers: every LINE first (ids 0, 1, ... in reading order),
then every WORD (ids continuing), grouped by line; a word's ``ParentId`` is its line's id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from argus.core.errors import InvalidParameterException
from argus.vision.text.geometry import Point, Quad, bounds, overlap_fraction, rectangle
from argus.vision.text.lines import Line, Word

MAX_WORDS = 100
REGION_SHARE = 0.5  # a word counts in a region when more than this share of its area is inside


@dataclass(frozen=True)
class TextFilters:
    min_confidence: float = 0.0
    min_height: float = 0.0
    min_width: float = 0.0
    regions: tuple[tuple[Point, ...], ...] = ()  # ratios of the image

    @classmethod
    def parse(cls, filters: Mapping[str, Any] | None) -> TextFilters:
        """``DetectTextFilters`` of the request (already validated against the service model)."""
        filters = filters or {}
        word_filter = filters.get("WordFilter") or {}
        regions = filters.get("RegionsOfInterest") or []
        return cls(
            min_confidence=float(word_filter.get("MinConfidence") or 0.0),
            min_height=float(word_filter.get("MinBoundingBoxHeight") or 0.0),
            min_width=float(word_filter.get("MinBoundingBoxWidth") or 0.0),
            regions=tuple(_region(index, region) for index, region in enumerate(regions)),
        )

    def keeps(self, word: Word, width: int, height: int) -> bool:
        quad = _ratios(word.quad, width, height)
        left, top, right, bottom = bounds(quad)
        if word.confidence < self.min_confidence:
            return False
        if bottom - top < self.min_height or right - left < self.min_width:
            return False
        if self.regions:
            return any(overlap_fraction(quad, region) > REGION_SHARE for region in self.regions)
        return True


def _region(index: int, region: Mapping[str, Any]) -> tuple[Point, ...]:
    polygon = region.get("Polygon")
    if polygon:
        if len(polygon) < 3:
            raise InvalidParameterException(
                f"RegionsOfInterest[{index}].Polygon needs at least 3 points, got {len(polygon)}"
            )
        return tuple((float(point.get("X", 0.0)), float(point.get("Y", 0.0))) for point in polygon)
    box = region.get("BoundingBox")
    if not box:
        raise InvalidParameterException(f"RegionsOfInterest[{index}] needs a BoundingBox or a Polygon")
    left, top = float(box.get("Left", 0.0)), float(box.get("Top", 0.0))
    width, height = float(box.get("Width", 0.0)), float(box.get("Height", 0.0))
    if width <= 0 or height <= 0:
        raise InvalidParameterException(
            f"RegionsOfInterest[{index}].BoundingBox needs a positive Width and Height"
        )
    return rectangle(left, top, left + width, top + height)


def _ratios(quad: Quad, width: int, height: int) -> Quad:
    def ratio(point: Point) -> Point:
        x, y = point
        return (min(max(x / width, 0.0), 1.0), min(max(y / height, 0.0), 1.0))

    return (ratio(quad[0]), ratio(quad[1]), ratio(quad[2]), ratio(quad[3]))


def geometry(quad: Quad, width: int, height: int) -> dict[str, Any]:
    """Rekognition ``Geometry``: axis-aligned ``BoundingBox`` and the 4-point ``Polygon``, as ratios."""
    ratios = _ratios(quad, width, height)
    left, top, right, bottom = bounds(ratios)
    return {
        "BoundingBox": {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top},
        "Polygon": [{"X": x, "Y": y} for x, y in ratios],
    }


def select(lines: Sequence[Line], filters: TextFilters, width: int, height: int) -> list[Line]:
    """The lines, each with only its kept words, capped at :data:`MAX_WORDS` words in reading order."""
    selected: list[Line] = []
    budget = MAX_WORDS
    for line in lines:
        kept = [word for word in line.words if filters.keeps(word, width, height)][:budget]
        if kept:
            selected.append(line.keeping(kept))
            budget -= len(kept)
        if budget <= 0:
            break
    return selected


def text_detections(
    lines: Sequence[Line], filters: TextFilters, width: int, height: int
) -> list[dict[str, Any]]:
    selected = select(lines, filters, width, height)
    detections: list[dict[str, Any]] = [
        {
            "DetectedText": line.text,
            "Type": "LINE",
            "Id": line_id,
            "Confidence": line.confidence,
            "Geometry": geometry(line.quad, width, height),
        }
        for line_id, line in enumerate(selected)
    ]
    next_id = len(selected)
    for line_id, line in enumerate(selected):
        for word in line.words:
            detections.append(
                {
                    "DetectedText": word.text,
                    "Type": "WORD",
                    "Id": next_id,
                    "ParentId": line_id,
                    "Confidence": word.confidence,
                    "Geometry": geometry(word.quad, width, height),
                }
            )
            next_id += 1
    return detections
