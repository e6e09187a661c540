"""Joining the detector's boxes into lines, in reading order."""

from __future__ import annotations

import math

from argus.vision.text.geometry import Quad, rectangle
from argus.vision.text.lines import Segment, Word, group_lines


def segment(left: float, top: float, right: float, bottom: float, *texts: str) -> Segment:
    """A box whose words share its height and split its width evenly."""
    step = (right - left) / len(texts)
    words = tuple(
        Word(text, 90.0, rectangle(left + i * step + 2, top + 4, left + (i + 1) * step - 2, bottom - 4))
        for i, text in enumerate(texts)
    )
    return Segment(rectangle(left, top, right, bottom), words)


def test_boxes_on_one_baseline_join_into_one_line_left_to_right() -> None:
    lines = group_lines([segment(300, 100, 400, 140, "dogs"), segment(40, 100, 280, 140, "jumps", "over")])
    assert [line.text for line in lines] == ["jumps over dogs"]


def test_a_gap_wider_than_the_text_height_starts_a_new_line() -> None:
    lines = group_lines([segment(40, 100, 200, 140, "left", "column"), segment(300, 100, 400, 140, "right")])
    assert [line.text for line in lines] == ["left column", "right"]


def test_boxes_of_very_different_heights_are_separate_lines() -> None:
    lines = group_lines([segment(40, 100, 200, 180, "BIG"), segment(210, 150, 300, 175, "small")])
    assert [line.text for line in lines] == ["BIG", "small"]


def test_lines_are_ordered_top_to_bottom() -> None:
    lines = group_lines(
        [
            segment(40, 300, 200, 340, "third"),
            segment(300, 20, 500, 60, "first"),
            segment(40, 150, 200, 190, "second"),
        ]
    )
    assert [line.text for line in lines] == ["first", "second", "third"]


def test_a_slanted_box_continues_the_line_it_is_slanted_along() -> None:
    angle = math.radians(10)

    def turned(left: float, right: float, text: str) -> Segment:
        def point(x: float, y: float) -> tuple[float, float]:
            return (x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle))

        quad: Quad = (point(left, 100), point(right, 100), point(right, 140), point(left, 140))
        inner: Quad = (
            point(left + 2, 104),
            point(right - 2, 104),
            point(right - 2, 136),
            point(left + 2, 136),
        )
        return Segment(quad, (Word(text, 90.0, inner),))

    lines = group_lines(
        [turned(40, 200, "slanted"), turned(220, 320, "line"), segment(0, 400, 150, 440, "below")]
    )
    assert [line.text for line in lines] == ["slanted line", "below"]
    assert lines[0].angle == angle
