"""The documented Rekognition Video limits: 10 GB files and 6 hour videos."""

from __future__ import annotations

import pytest

from argus.core.config import VideoSettings
from argus.core.errors import VideoTooLargeException
from argus.video.frames import VideoInfo
from argus.video.limits import check_duration, check_size

DEFAULTS = VideoSettings()


def info(duration_ms: int) -> VideoInfo:
    return VideoInfo("h264", "QuickTime / MOV", duration_ms, 25.0, 320, 240, duration_ms // 40)


def test_the_default_limits_are_the_documented_ones() -> None:
    assert DEFAULTS.max_file_bytes == 10 * 1024**3
    assert DEFAULTS.max_duration_s == 6 * 3600


def test_a_file_of_exactly_ten_gigabytes_is_accepted() -> None:
    check_size(10 * 1024**3, DEFAULTS)


def test_a_larger_file_is_too_large() -> None:
    with pytest.raises(VideoTooLargeException, match="file size"):
        check_size(10 * 1024**3 + 1, DEFAULTS)


def test_six_hours_is_accepted_and_one_millisecond_more_is_not() -> None:
    check_duration(info(6 * 3600 * 1000), DEFAULTS)
    with pytest.raises(VideoTooLargeException, match="duration"):
        check_duration(info(6 * 3600 * 1000 + 1), DEFAULTS)
