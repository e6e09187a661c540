"""Black frames with Rekognition's BlackFrame semantics (BT.709 luma, MaxPixelThreshold, coverage)."""

from __future__ import annotations

import numpy as np

from argus.vision.segments.black import BlackFrameFilter, black_coverage


def frame(colour: tuple[int, int, int], width: int = 320, height: int = 240) -> np.ndarray:
    return np.full((height, width, 3), colour, dtype=np.uint8)


def test_default_threshold_is_luma_51_of_full_range() -> None:
    assert BlackFrameFilter().max_black_pixel_value == 51.0
    assert BlackFrameFilter(max_pixel_threshold=0.1).max_black_pixel_value == 25.5


def test_pixels_at_or_below_the_luma_threshold_are_black() -> None:
    assert black_coverage(frame((51, 51, 51)), 51.0) == 100.0
    assert black_coverage(frame((52, 52, 52)), 51.0) == 0.0
    assert black_coverage(frame((40, 40, 40)), 25.5) == 0.0


def test_luma_weighs_channels_by_bt709() -> None:
    # pure blue: 0.0722 * 255 = 18.4 (black at the default); pure red: 0.2126 * 255 = 54.2 (not)
    assert black_coverage(frame((0, 0, 255)), 51.0) == 100.0
    assert black_coverage(frame((255, 0, 0)), 51.0) == 0.0


def test_coverage_is_the_share_of_black_pixels() -> None:
    picture = frame((0, 0, 0), width=400, height=100)
    picture[:2, :] = 255  # 2 rows of 100: 98 % black
    coverage = black_coverage(picture, 51.0)
    assert coverage == 98.0
    assert coverage < BlackFrameFilter().min_coverage_percentage
    assert coverage >= BlackFrameFilter(min_coverage_percentage=97.0).min_coverage_percentage


def test_large_frames_are_sampled_on_a_grid_without_averaging() -> None:
    picture = frame((0, 0, 0), width=1920, height=1080)
    picture[:, ::4] = 255  # one bright column in four: averaging would make every pixel grey (64)
    assert abs(black_coverage(picture, 51.0) - 75.0) < 0.5
    picture[:, ::2] = 255  # and a regular grid would see only the bright columns or only the black
    assert abs(black_coverage(picture, 51.0) - 50.0) < 0.5


def test_confidence_margin_runs_from_the_minimum_coverage_to_full_coverage() -> None:
    default = BlackFrameFilter()
    assert (default.coverage_margin(99.0), default.coverage_margin(100.0)) == (0.0, 1.0)
    assert BlackFrameFilter(min_coverage_percentage=40.0).coverage_margin(70.0) == 0.5
    assert BlackFrameFilter(min_coverage_percentage=100.0).coverage_margin(100.0) == 1.0
