"""IMAGE_PROPERTIES: quality and dominant colours on synthetic and real pictures."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from argus.vision.labels.detector import Instance
from argus.vision.labels.properties import dominant_colours, image_properties, quality
from argus.workers.image.labels import select
from tests.vision.labels.test_labels_response import label

COLOUR_KEYS = {"Red", "Blue", "Green", "HexCode", "CSSColor", "SimplifiedColor", "PixelPercent"}


def test_flat_images_have_no_contrast_nor_sharpness() -> None:
    assert quality(np.zeros((50, 50, 3), dtype=np.uint8)) == {
        "Brightness": 0.0,
        "Sharpness": 0.0,
        "Contrast": 0.0,
    }
    white = quality(np.full((50, 50, 3), 255, dtype=np.uint8))
    assert white["Brightness"] == pytest.approx(100.0)


def test_half_black_half_white_has_full_contrast() -> None:
    image = np.zeros((64, 64, 3), dtype=np.uint8)
    image[:, 32:] = 255
    assert quality(image)["Contrast"] == pytest.approx(100.0, abs=0.5)


def test_blur_lowers_sharpness(coffee: NDArray[np.uint8]) -> None:
    sharp = quality(coffee)["Sharpness"]
    blurred = quality(cv2.GaussianBlur(coffee, (0, 0), 3))["Sharpness"]
    assert sharp > 80 > 20 > blurred


def test_two_colour_flag_gives_its_two_colours() -> None:
    flag = np.zeros((60, 90, 3), dtype=np.uint8)
    flag[:, :60] = (255, 0, 0)
    flag[:, 60:] = (0, 0, 255)
    colours = dominant_colours(flag, 10)
    assert [(colour["CSSColor"], colour["SimplifiedColor"]) for colour in colours] == [
        ("red", "red"),
        ("blue", "blue"),
    ]
    assert [colour["PixelPercent"] for colour in colours] == pytest.approx([66.7, 33.3], abs=1.5)
    assert colours[0]["HexCode"] == "#ff0000"
    assert all(set(colour) == COLOUR_KEYS for colour in colours)


def test_colour_count_is_capped_and_percentages_add_up(coffee: NDArray[np.uint8]) -> None:
    colours = dominant_colours(coffee, 5)
    assert 1 <= len(colours) <= 5
    assert dominant_colours(coffee, 0) == []
    everything = dominant_colours(coffee, 20)
    assert sum(colour["PixelPercent"] for colour in everything) == pytest.approx(100.0)
    shares = [colour["PixelPercent"] for colour in everything]
    assert shares == sorted(shares, reverse=True)


def test_image_properties_shape(coffee: NDArray[np.uint8]) -> None:
    properties = image_properties(coffee, 3)
    assert set(properties) == {"Quality", "DominantColors"}
    assert set(properties["Quality"]) == {"Brightness", "Sharpness", "Contrast"}
    assert len(properties["DominantColors"]) <= 3


def test_instances_get_the_colours_of_their_box() -> None:
    image = np.zeros((100, 100, 3), dtype=np.uint8)
    image[:, 50:] = (0, 128, 0)
    cat = label("Cat", 90.0, [Instance((50, 0, 100, 100), 90.0)])
    instance = select([cat], 100, 100, pixels=image, colours=3)[0]["Instances"][0]
    assert [colour["CSSColor"] for colour in instance["DominantColors"]] == ["green"]
    assert "DominantColors" not in select([cat], 100, 100)[0]["Instances"][0]
