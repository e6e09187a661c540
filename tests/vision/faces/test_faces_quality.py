"""Brightness and Sharpness of the face box."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from argus.vision.faces.analyzer import FaceAnalyzer
from argus.vision.faces.quality import SHARPNESS_SCALE, brightness, measure_quality, sharpness
from tests.vision.conftest import RGB

ASTRONAUT_FACE = (172.0, 66.0, 278.0, 183.0)  # her detected face box, chin included


def test_brightness_is_mean_luma_as_percent() -> None:
    assert brightness(np.full((10, 10), 255, dtype=np.uint8)) == 100.0
    assert brightness(np.zeros((10, 10), dtype=np.uint8)) == 0.0
    assert brightness(np.full((10, 10), 51, dtype=np.uint8)) == pytest.approx(20.0)


def test_flat_region_has_zero_sharpness() -> None:
    assert sharpness(np.full((50, 50), 128, dtype=np.uint8)) == 0.0


def test_sharpness_saturates_below_100() -> None:
    checkerboard = (np.indices((112, 112)).sum(axis=0) % 2 * 255).astype(np.uint8)
    score = sharpness(checkerboard)
    assert 99.9 < score <= 100.0


def test_sharpness_follows_the_documented_curve() -> None:
    stripes = np.zeros((112, 112), dtype=np.uint8)
    stripes[:, ::8] = 40  # one-pixel lines: Laplacian is -80 / +40 / +40 on 3 of every 8 columns
    laplacian = cv2.Laplacian(stripes.astype(np.float64), cv2.CV_64F, ksize=1)
    expected = 100.0 * (1.0 - math.exp(-float(laplacian.var()) / SHARPNESS_SCALE))
    assert sharpness(stripes) == pytest.approx(expected)


def test_box_outside_the_image_gives_zero_quality() -> None:
    quality = measure_quality(np.zeros((50, 50, 3), dtype=np.uint8), (60.0, 60.0, 80.0, 80.0))
    assert (quality.brightness, quality.sharpness) == (0.0, 0.0)


def test_astronaut_face_is_sharp_and_mid_bright(astronaut: RGB) -> None:
    quality = measure_quality(astronaut, ASTRONAUT_FACE)
    assert 50 < quality.brightness < 70
    assert quality.sharpness > 60


def test_blurred_copy_is_less_sharp(astronaut: RGB) -> None:
    blurred = cv2.GaussianBlur(astronaut, (0, 0), 2.0)
    sharp = measure_quality(astronaut, ASTRONAUT_FACE).sharpness
    soft = measure_quality(blurred, ASTRONAUT_FACE).sharpness
    assert soft < sharp - 30


def test_darkened_copy_is_proportionally_darker(astronaut: RGB) -> None:
    darker = (astronaut.astype(np.float64) * 0.5).round().astype(np.uint8)
    bright = measure_quality(astronaut, ASTRONAUT_FACE).brightness
    dim = measure_quality(darker, ASTRONAUT_FACE).brightness
    assert dim == pytest.approx(bright / 2, abs=0.5)


def test_detect_faces_reports_a_blurred_face_as_less_sharp(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    sharp = analyzer.detect_faces(astronaut, frozenset({"DEFAULT"}))
    soft = analyzer.detect_faces(cv2.GaussianBlur(astronaut, (0, 0), 2.0), frozenset({"DEFAULT"}))
    assert len(sharp) == len(soft) == 1
    assert soft[0]["Quality"]["Sharpness"] < sharp[0]["Quality"]["Sharpness"] - 30


def test_detect_faces_reports_a_darkened_face_as_darker(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    darker = (astronaut.astype(np.float64) * 0.4).round().astype(np.uint8)
    bright = analyzer.detect_faces(astronaut, frozenset({"DEFAULT"}))
    dim = analyzer.detect_faces(darker, frozenset({"DEFAULT"}))
    assert len(bright) == len(dim) == 1
    assert dim[0]["Quality"]["Brightness"] < 0.5 * bright[0]["Quality"]["Brightness"]
