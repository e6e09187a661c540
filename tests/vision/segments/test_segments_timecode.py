"""SMPTE timecodes: non-drop-frame at integer rates, drop-frame at 29.97 and 59.94 fps."""

from __future__ import annotations

from fractions import Fraction

import pytest

from argus.vision.segments.timecode import is_drop_frame, smpte_timecode

NTSC = float(Fraction(30000, 1001))
NTSC_60 = float(Fraction(60000, 1001))


@pytest.mark.parametrize(
    ("frame", "rate", "expected"),
    [
        (0, 25.0, "00:00:00:00"),
        (24, 25.0, "00:00:00:24"),
        (25, 25.0, "00:00:01:00"),
        (25 * 3661 + 7, 25.0, "01:01:01:07"),
        (24 * 60 + 23, 24.0, "00:01:00:23"),
        (30 * 3600, 30.0, "01:00:00:00"),
    ],
)
def test_non_drop_frame_counts_whole_frames_per_second(frame: int, rate: float, expected: str) -> None:
    assert smpte_timecode(frame, rate) == expected


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (0, "00:00:00;00"),
        (1799, "00:00:59;29"),
        (1800, "00:01:00;02"),  # labels ;00 and ;01 are skipped at each minute
        (3597, "00:01:59;29"),
        (3598, "00:02:00;02"),
        (17981, "00:09:59;29"),
        (17982, "00:10:00;00"),  # ... except every tenth minute
        (107892, "01:00:00;00"),  # one hour of NTSC video is 107892 frames
    ],
)
def test_drop_frame_at_29_97_skips_two_labels_a_minute(frame: int, expected: str) -> None:
    assert smpte_timecode(frame, NTSC) == expected


def test_drop_frame_at_59_94_skips_four_labels_a_minute() -> None:
    assert smpte_timecode(3599, NTSC_60) == "00:00:59;59"
    assert smpte_timecode(3600, NTSC_60) == "00:01:00;04"
    assert smpte_timecode(215784, NTSC_60) == "01:00:00;00"


def test_only_ntsc_rates_are_drop_frame() -> None:
    assert is_drop_frame(NTSC) and is_drop_frame(29.97) and is_drop_frame(NTSC_60)
    assert not any(is_drop_frame(rate) for rate in (23.976, 24.0, 25.0, 30.0, 50.0, 60.0))


def test_negative_frames_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        smpte_timecode(-1, 25.0)
