"""frames: decode once, keep the frames of the sampling rate, RGB pixels at their timestamps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from argus.video.decode import Sampler, frames
from argus.video.errors import UnreadableVideo
from argus.video.probe import open_container
from tests.video.media import solid, write_video

RED, BLUE = solid((255, 0, 0)), solid((0, 0, 255))


def sampled(path: Path, fps: float | None) -> list[tuple[int, int, np.ndarray]]:
    container = open_container(str(path))
    try:
        return [(f.index, f.timestamp_ms, f.pixels) for f in frames(container, fps)]
    finally:
        container.close()


def test_two_frames_a_second_from_a_ten_fps_video(tmp_path: Path) -> None:
    result = sampled(write_video(tmp_path / "v.mp4", [(RED, 1.0), (BLUE, 1.0)], fps=10), 2.0)
    assert [(index, ms) for index, ms, _ in result] == [(0, 0), (5, 500), (10, 1000), (15, 1500)]


def test_every_frame_when_no_rate_is_asked(tmp_path: Path) -> None:
    result = sampled(write_video(tmp_path / "v.mp4", [(RED, 1.0)], fps=10), None)
    assert [ms for _, ms, _ in result] == list(range(0, 1000, 100))


def test_pixels_are_rgb_at_the_video_size(tmp_path: Path) -> None:
    result = sampled(write_video(tmp_path / "v.mp4", [(RED, 1.0), (BLUE, 1.0)], fps=10), 1.0)
    (_, _, first), (_, _, second) = result
    assert first.shape == (120, 160, 3) and first.dtype == np.uint8
    assert np.abs(first.mean(axis=(0, 1)) - (255, 0, 0)).max() < 12
    assert np.abs(second.mean(axis=(0, 1)) - (0, 0, 255)).max() < 12


def test_sampler_keeps_the_first_frame_at_or_after_each_instant() -> None:
    sampler = Sampler(3.0)  # instants 0, 333.3, 666.7, 1000 ms
    kept = [ms for ms in range(0, 1001, 40) if sampler.wants(ms)]
    assert kept == [0, 360, 680, 1000]


def test_a_truncated_video_is_unreadable(tmp_path: Path) -> None:
    data = write_video(tmp_path / "v.mp4", [(RED, 2.0)], fps=10).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableVideo):
        sampled(cut, None)
