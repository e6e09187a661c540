"""TextReader on pages of known text drawn with a TrueType font: what it reads and where."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from argus.core.config import Settings
from argus.core.models.registry import ModelRegistry, Task
from argus.vision.text.detections import TextFilters, text_detections
from argus.vision.text.lines import Line
from argus.vision.text.reader import TextReader
from tests.vision.text.render import Page, gradient, render, rotated

SAMPLE = [
    (40, 60, "The quick brown fox"),
    (40, 160, "jumps over 12 lazy dogs"),
    (40, 260, "Invoice total $37.50"),
]
TOLERANCE = 0.02  # of the image's width or height


@pytest.fixture(scope="module")
def page() -> Page:
    return render(SAMPLE)


@pytest.fixture(scope="module")
def lines(reader: TextReader, page: Page) -> list[Line]:
    return reader.read(page.pixels)


@pytest.fixture(scope="module")
def detections(lines: list[Line], page: Page) -> list[dict[str, Any]]:
    return text_detections(lines, TextFilters(), page.width, page.height)


def test_every_line_is_read_with_its_words_in_reading_order(lines: list[Line], page: Page) -> None:
    assert [line.text for line in lines] == page.texts
    assert [[word.text for word in line.words] for line in lines] == [
        [drawn.text for drawn in words] for words in page.lines
    ]


def test_each_word_box_is_where_the_word_was_drawn(detections: list[dict[str, Any]], page: Page) -> None:
    words = [item for item in detections if item["Type"] == "WORD"]
    drawn = [word for line in page.lines for word in line]
    assert [item["DetectedText"] for item in words] == [word.text for word in drawn]
    for item, word in zip(words, drawn, strict=True):
        box = item["Geometry"]["BoundingBox"]
        left, top, right, bottom = page.ratio_box(word)
        assert box["Left"] == pytest.approx(left, abs=TOLERANCE), word.text
        assert box["Top"] == pytest.approx(top, abs=TOLERANCE), word.text
        assert box["Left"] + box["Width"] == pytest.approx(right, abs=TOLERANCE), word.text
        assert box["Top"] + box["Height"] == pytest.approx(bottom, abs=TOLERANCE), word.text


def test_each_line_box_holds_its_drawn_words(detections: list[dict[str, Any]], page: Page) -> None:
    lines = [item for item in detections if item["Type"] == "LINE"]
    for item, words in zip(lines, page.lines, strict=True):
        box = item["Geometry"]["BoundingBox"]
        left, top, _, _ = page.ratio_box(words[0])
        right = max(page.ratio_box(word)[2] for word in words)
        bottom = max(page.ratio_box(word)[3] for word in words)
        top = min(page.ratio_box(word)[1] for word in words)
        assert (box["Left"], box["Top"]) == pytest.approx((left, top), abs=TOLERANCE)
        assert (box["Left"] + box["Width"], box["Top"] + box["Height"]) == pytest.approx(
            (right, bottom), abs=TOLERANCE
        )


def test_words_point_at_the_line_that_holds_them(detections: list[dict[str, Any]]) -> None:
    lines = {item["Id"]: item for item in detections if item["Type"] == "LINE"}
    for word in (item for item in detections if item["Type"] == "WORD"):
        assert word["DetectedText"] in lines[word["ParentId"]]["DetectedText"].split(" ")


def test_polygons_have_four_points_clockwise_from_the_top_left(detections: list[dict[str, Any]]) -> None:
    for item in detections:
        polygon = item["Geometry"]["Polygon"]
        assert len(polygon) == 4
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((point["X"], point["Y"]) for point in polygon)
        assert x0 < x1 and y1 < y2 and x2 > x3 and y3 > y0


def test_confidence_is_a_percentage_per_word(detections: list[dict[str, Any]]) -> None:
    assert all(0 <= item["Confidence"] <= 100 for item in detections)
    assert min(item["Confidence"] for item in detections) > 50  # clean printed text


def test_min_confidence_removes_the_words_below_it(lines: list[Line], page: Page) -> None:
    confidences = sorted(word.confidence for line in lines for word in line.words)
    threshold = (confidences[2] + confidences[3]) / 2  # the three least confident words go
    assert confidences[2] < threshold < confidences[3]
    kept = text_detections(lines, TextFilters(min_confidence=threshold), page.width, page.height)
    words = [item for item in kept if item["Type"] == "WORD"]
    assert len(words) == len(confidences) - 3
    assert all(item["Confidence"] >= threshold for item in words)


def test_min_box_height_removes_small_words_and_their_lines(reader: TextReader) -> None:
    page = render([(40, 60, "LARGE PRINT"), (40, 200, "small print here")], size=[56, 22])
    lines = reader.read(page.pixels)
    assert [line.text for line in lines] == page.texts
    kept = text_detections(lines, TextFilters(min_height=0.07), page.width, page.height)  # 34 px of 480
    assert [item["DetectedText"] for item in kept] == ["LARGE PRINT", "LARGE", "PRINT"]


def test_regions_of_interest_keep_only_words_mostly_inside(reader: TextReader) -> None:
    page = render([(30, 100, "north"), (380, 100, "east"), (30, 300, "south"), (380, 300, "west")], size=40)
    lines = reader.read(page.pixels)
    left_half = TextFilters(regions=(((0.0, 0.0), (0.5, 0.0), (0.5, 1.0), (0.0, 1.0)),))
    kept = text_detections(lines, left_half, page.width, page.height)
    assert sorted(item["DetectedText"] for item in kept if item["Type"] == "WORD") == ["north", "south"]


def test_light_text_on_a_dark_sign_is_read(reader: TextReader) -> None:
    page = render(
        [(60, 120, "STOP AHEAD"), (60, 300, "Exit 42")], size=48, background=(20, 40, 90), ink=(255, 255, 255)
    )
    assert [line.text for line in reader.read(page.pixels)] == page.texts


def test_lines_far_apart_on_one_row_are_separate_lines_left_first(reader: TextReader) -> None:
    page = render([(40, 100, "left column"), (420, 100, "right")], size=36)
    assert [line.text for line in reader.read(page.pixels)] == ["left column", "right"]


def test_slanted_text_is_read_and_its_polygon_follows_the_slant(reader: TextReader) -> None:
    page = render([(100, 220, "Rotated words here")], size=36)
    (line,) = reader.read(rotated(page, 20))
    assert line.text == "Rotated words here"
    (x0, y0), (x1, y1) = line.quad[0], line.quad[1]
    assert math.degrees(math.atan2(y0 - y1, x1 - x0)) == pytest.approx(20, abs=5)


def test_a_picture_without_text_has_no_lines(reader: TextReader) -> None:
    import skimage.data

    assert reader.read(gradient()) == []
    assert reader.read(np.asarray(skimage.data.coffee())) == []


def test_model_version_names_easyocr_and_the_english_recognizer(reader: TextReader) -> None:
    assert reader.model_version == "easyocr-1.7.2-en-g2"


def test_registry_loads_the_reader_once_from_the_installed_weights() -> None:
    registry = ModelRegistry(Settings(device="cpu"))
    assert not [item for item in registry.missing() if item.startswith(Task.TEXT_DETECTION)]
    first = registry.get(Task.TEXT_DETECTION)
    assert isinstance(first, TextReader)
    assert registry.get(Task.TEXT_DETECTION) is first
    assert first.device == "cpu"
