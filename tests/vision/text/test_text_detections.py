"""TextDetections from given lines and words: ids, order, geometry, filters and the 100-word limit."""

from __future__ import annotations

from typing import Any

import pytest

from argus.core.errors import InvalidParameterException
from argus.vision.text.detections import MAX_WORDS, TextFilters, text_detections
from argus.vision.text.geometry import rectangle
from argus.vision.text.lines import Line, Word

WIDTH, HEIGHT = 1000, 500


def word(text: str, left: float, top: float, right: float, bottom: float, confidence: float = 99.0) -> Word:
    return Word(text, confidence, rectangle(left, top, right, bottom))


HELLO = Line((word("hello", 100, 50, 300, 100, 90.0), word("world", 320, 50, 500, 100, 80.0)), 0.0)
BYE = Line((word("bye", 100, 300, 200, 320, 60.0),), 0.0)


def texts(detections: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(item["Type"], item["DetectedText"]) for item in detections]


def test_lines_come_first_then_their_words_with_ids_in_that_order() -> None:
    detections = text_detections([HELLO, BYE], TextFilters(), WIDTH, HEIGHT)
    assert texts(detections) == [
        ("LINE", "hello world"),
        ("LINE", "bye"),
        ("WORD", "hello"),
        ("WORD", "world"),
        ("WORD", "bye"),
    ]
    assert [item["Id"] for item in detections] == [0, 1, 2, 3, 4]
    assert [item.get("ParentId") for item in detections] == [None, None, 0, 0, 1]


def test_geometry_is_in_ratios_of_the_image() -> None:
    hello = text_detections([HELLO], TextFilters(), WIDTH, HEIGHT)[1]
    assert hello["Geometry"]["BoundingBox"] == pytest.approx(
        {"Width": 0.2, "Height": 0.1, "Left": 0.1, "Top": 0.1}
    )
    assert hello["Geometry"]["Polygon"] == [
        pytest.approx({"X": 0.1, "Y": 0.1}),
        pytest.approx({"X": 0.3, "Y": 0.1}),
        pytest.approx({"X": 0.3, "Y": 0.2}),
        pytest.approx({"X": 0.1, "Y": 0.2}),
    ]


def test_a_line_box_spans_its_words_and_its_confidence_is_their_mean() -> None:
    line = text_detections([HELLO], TextFilters(), WIDTH, HEIGHT)[0]
    assert line["Geometry"]["BoundingBox"] == pytest.approx(
        {"Width": 0.4, "Height": 0.1, "Left": 0.1, "Top": 0.1}
    )
    assert line["Confidence"] == pytest.approx(85.0)


def test_min_confidence_keeps_a_line_made_of_its_kept_words() -> None:
    detections = text_detections([HELLO, BYE], TextFilters(min_confidence=85), WIDTH, HEIGHT)
    assert texts(detections) == [("LINE", "hello"), ("WORD", "hello")]
    assert detections[0]["Confidence"] == pytest.approx(90.0)
    assert detections[0]["Geometry"]["BoundingBox"]["Width"] == pytest.approx(0.2)


def test_min_confidence_keeps_a_word_exactly_at_it() -> None:
    detections = text_detections([HELLO], TextFilters(min_confidence=80), WIDTH, HEIGHT)
    assert texts(detections)[0] == ("LINE", "hello world")


def test_min_bounding_box_height_and_width_are_ratios_of_the_image() -> None:
    taller = TextFilters(min_height=0.05)  # bye is 20 px of 500 = 0.04 high
    assert texts(text_detections([HELLO, BYE], taller, WIDTH, HEIGHT))[:2] == [
        ("LINE", "hello world"),
        ("WORD", "hello"),
    ]
    wider = TextFilters(min_width=0.19)  # world is 0.18 wide, hello 0.2
    assert texts(text_detections([HELLO, BYE], wider, WIDTH, HEIGHT)) == [
        ("LINE", "hello"),
        ("WORD", "hello"),
    ]


def test_a_word_counts_in_a_region_when_more_than_half_of_it_is_inside() -> None:
    line = Line((word("mostly", 100, 100, 200, 150), word("barely", 300, 100, 400, 150)), 0.0)
    # The region spans x 0.14-0.34: 60 % of "mostly" (x 0.1-0.2), 40 % of "barely" (x 0.3-0.4).
    region = {"RegionsOfInterest": [{"BoundingBox": {"Left": 0.14, "Top": 0.0, "Width": 0.2, "Height": 1.0}}]}
    detections = text_detections([line], TextFilters.parse(region), WIDTH, HEIGHT)
    assert texts(detections) == [("LINE", "mostly"), ("WORD", "mostly")]


def test_a_polygon_region_keeps_the_words_it_mostly_covers() -> None:
    triangle = [{"X": 0.0, "Y": 0.0}, {"X": 1.0, "Y": 0.0}, {"X": 0.0, "Y": 1.0}]
    detections = text_detections(
        [HELLO, BYE], TextFilters.parse({"RegionsOfInterest": [{"Polygon": triangle}]}), WIDTH, HEIGHT
    )
    # hello (x 0.1-0.3, y 0.1-0.2) and world (x 0.32-0.5) lie under x + y = 1; bye (y 0.6-0.64) does too.
    assert [text for kind, text in texts(detections) if kind == "WORD"] == ["hello", "world", "bye"]
    far_corner = [{"X": 1.0, "Y": 1.0}, {"X": 0.55, "Y": 1.0}, {"X": 1.0, "Y": 0.55}]
    assert (
        text_detections(
            [HELLO, BYE], TextFilters.parse({"RegionsOfInterest": [{"Polygon": far_corner}]}), WIDTH, HEIGHT
        )
        == []
    )


def test_a_word_in_any_of_several_regions_is_kept() -> None:
    regions = [
        {"BoundingBox": {"Left": 0.05, "Top": 0.05, "Width": 0.3, "Height": 0.2}},
        {"BoundingBox": {"Left": 0.05, "Top": 0.55, "Width": 0.3, "Height": 0.2}},
    ]
    detections = text_detections(
        [HELLO, BYE], TextFilters.parse({"RegionsOfInterest": regions}), WIDTH, HEIGHT
    )
    assert [text for kind, text in texts(detections) if kind == "WORD"] == ["hello", "bye"]


def test_a_region_without_box_or_polygon_is_invalid() -> None:
    with pytest.raises(InvalidParameterException):
        TextFilters.parse({"RegionsOfInterest": [{}]})
    with pytest.raises(InvalidParameterException):
        TextFilters.parse({"RegionsOfInterest": [{"Polygon": [{"X": 0.1, "Y": 0.1}, {"X": 0.2, "Y": 0.2}]}]})


def test_at_most_100_words_are_returned_in_reading_order_with_their_lines() -> None:
    lines = [
        Line(
            tuple(
                word(f"w{row}x{column}", 20 * column, 40 * row, 20 * column + 15, 40 * row + 20)
                for column in range(40)
            ),
            0.0,
        )
        for row in range(3)
    ]
    detections = text_detections(lines, TextFilters(), WIDTH, HEIGHT)
    words = [item for item in detections if item["Type"] == "WORD"]
    assert len(words) == MAX_WORDS == 100
    assert [item["DetectedText"] for item in detections if item["Type"] == "LINE"] == [
        " ".join(f"w0x{c}" for c in range(40)),
        " ".join(f"w1x{c}" for c in range(40)),
        " ".join(f"w2x{c}" for c in range(20)),
    ]
    assert words[-1]["DetectedText"] == "w2x19"


def test_no_lines_give_no_detections() -> None:
    assert text_detections([], TextFilters(), WIDTH, HEIGHT) == []
