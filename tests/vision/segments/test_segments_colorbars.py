"""Colour bars: SMPTE and full-field bar patterns match; real photos, black and grey do not."""

from __future__ import annotations

import numpy as np
import pytest

from argus.vision.segments.colorbars import MAX_DEVIATION, color_bars_score
from argus.vision.segments.cues import analysis_frame
from tests.support import videos


def full_field_bars(width: int = 320, height: int = 240, level: int = 255) -> np.ndarray:
    colours = [(1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 1, 0), (1, 0, 1), (1, 0, 0), (0, 0, 1), (0, 0, 0)]
    picture = np.zeros((height, width, 3), dtype=np.uint8)
    for i, colour in enumerate(colours):
        picture[:, i * width // 8 : (i + 1) * width // 8] = np.array(colour) * level
    return picture


@pytest.mark.parametrize("level", [191, 255])
def test_smpte_bars_at_75_and_100_percent_match(level: int) -> None:
    assert color_bars_score(analysis_frame(videos.smpte_bars(640, 480, level=level))) > 0.95


def test_full_field_eight_bars_match() -> None:
    assert color_bars_score(analysis_frame(full_field_bars(level=191))) > 0.95


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket", "bus", "zidane"])
def test_real_photos_do_not_match(name: str) -> None:
    picture = videos.fit(videos.photo(name), 320, 240)
    assert color_bars_score(analysis_frame(picture)) < 1.0 - MAX_DEVIATION


def test_flat_frames_and_bars_in_the_wrong_order_do_not_match() -> None:
    assert color_bars_score(np.zeros((90, 160, 3), np.uint8)) == 0.0
    assert color_bars_score(np.full((90, 160, 3), 128, np.uint8)) == 0.0
    mirrored = np.ascontiguousarray(videos.smpte_bars()[:, ::-1])
    assert color_bars_score(analysis_frame(mirrored)) == 0.0
