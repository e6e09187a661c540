"""Words and lines of text, and how the detector's boxes become lines in reading order.

The detector's boxes (:class:`Segment`) are runs of words it saw close together; one printed line is
often several boxes (a word the detector found slanted, a wider gap, a change of height). Boxes
join into a line when the next one starts on the same baseline band, at a similar height, within
one text height to the right of the previous one (Rekognition ends a line at a gap that is large
relative to the words). Lines are then ordered top to bottom, and left to right within a row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from argus.vision.text.geometry import Point, Quad, bounds, edge_angle, oriented_box

MAX_HEIGHT_RATIO = 2.0  # boxes whose heights differ more than this are not one line
MAX_CENTRE_SHIFT = 0.5  # vertical misalignment allowed, in box heights
MAX_GAP = 1.0  # horizontal gap allowed between neighbouring words, in box heights


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-100
    quad: Quad  # pixels, clockwise from the top-left


@dataclass(frozen=True)
class Segment:
    """One detector box: the quad the recognizer read, and the words it read there."""

    quad: Quad
    words: tuple[Word, ...]

    @property
    def height(self) -> float:
        (x0, y0), _, _, (x3, y3) = self.quad
        _, (x1, y1), (x2, y2), _ = self.quad
        return (math.hypot(x3 - x0, y3 - y0) + math.hypot(x2 - x1, y2 - y1)) / 2

    @property
    def width(self) -> float:
        (x0, y0), (x1, y1), _, _ = self.quad
        return math.hypot(x1 - x0, y1 - y0)

    @property
    def centre(self) -> Point:
        return (sum(x for x, _ in self.quad) / 4, sum(y for _, y in self.quad) / 4)


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    angle: float  # radians, of the boxes the line was read from

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def confidence(self) -> float:
        """The mean of its words' confidences (as Rekognition's lines report)."""
        return sum(word.confidence for word in self.words) / len(self.words)

    @property
    def quad(self) -> Quad:
        return oriented_box([point for word in self.words for point in word.quad], self.angle)

    def keeping(self, words: Sequence[Word]) -> Line:
        return Line(tuple(words), self.angle)


def _follows(previous: Segment, segment: Segment) -> float | None:
    """How far (in heights) ``segment`` is off the line ``previous`` ends; None if it does not continue it."""
    low, high = sorted((previous.height, segment.height))
    if low <= 0 or high / low > MAX_HEIGHT_RATIO:
        return None
    gap = bounds(segment.words[0].quad)[0] - bounds(previous.words[-1].quad)[2]
    if gap > MAX_GAP * high or gap < -MAX_CENTRE_SHIFT * low:
        return None
    (px, py), (sx, sy) = previous.centre, segment.centre
    # Carry the previous box's centre along the slant of either box: the detector often tilts the
    # box of a short word (an ascender at one end, a descender at the other), so trust the one that
    # lines them up best.
    shift = min(
        abs(sy - py - math.tan(angle) * (sx - px)) / high
        for angle in (edge_angle(previous.quad), edge_angle(segment.quad))
    )
    return shift if shift < MAX_CENTRE_SHIFT else None


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    pairs = sorted(zip(values, weights, strict=True))
    half = sum(weights) / 2
    total = 0.0
    for value, weight in pairs:
        total += weight
        if total >= half:
            return value
    return pairs[-1][0]


def group_lines(segments: Sequence[Segment]) -> list[Line]:
    """Join the detector's boxes into lines, in reading order."""
    chains: list[list[Segment]] = []
    for segment in sorted((s for s in segments if s.words), key=lambda s: bounds(s.quad)[0]):
        scored = [(shift, chain) for chain in chains if (shift := _follows(chain[-1], segment)) is not None]
        if scored:
            min(scored, key=lambda item: item[0])[1].append(segment)
        else:
            chains.append([segment])
    lines = [
        Line(
            words=tuple(word for segment in chain for word in segment.words),
            angle=_weighted_median([edge_angle(s.quad) for s in chain], [s.width for s in chain]),
        )
        for chain in chains
    ]
    return reading_order(lines)


def reading_order(lines: Sequence[Line]) -> list[Line]:
    """Top to bottom; lines side by side (each one's centre inside the first one's band) left to right."""
    placed = sorted(lines, key=lambda line: _centre_y(line))
    ordered: list[Line] = []
    row: list[Line] = []
    for line in placed:
        if row:
            _, top, _, bottom = bounds(row[0].quad)
            if not top <= _centre_y(line) <= bottom:
                ordered.extend(sorted(row, key=lambda item: bounds(item.quad)[0]))
                row = []
        row.append(line)
    ordered.extend(sorted(row, key=lambda item: bounds(item.quad)[0]))
    return ordered


def _centre_y(line: Line) -> float:
    _, top, _, bottom = bounds(line.quad)
    return (top + bottom) / 2
