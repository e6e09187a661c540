"""Black frames, with the semantics of Rekognition's ``BlackFrame`` filter.

A pixel is black when its BT.709 luma ``0.2126 R + 0.7152 G + 0.0722 B`` is at most
``max_black_pixel_value = minimum_luminance + MaxPixelThreshold * luminance_range``; decoded frames are
full-range RGB (the decoder expands limited-range video), so that is ``MaxPixelThreshold * 255``
(default 0.2 -> 51). A frame is black when at least ``MinCoveragePercentage`` (default 99) percent of
its pixels are black. A run of black frames is a segment whose confidence is ``50 + 50 x`` the mean
margin of its frames' coverage above ``MinCoveragePercentage`` (0 at the minimum, 1 at 100 %), so
every black frame the filter accepts is reported at the default ``MinSegmentConfidence`` of 50.

Large frames are subsampled, not averaged (noise is kept as it is): every ``stride``-th row, and in
it every ``stride``-th pixel from an offset that cycles with the row (a staggered grid, so no periodic
pattern aliases), with at most :data:`MAX_SAMPLES_WIDE` per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DEFAULT_MAX_PIXEL_THRESHOLD = 0.2
DEFAULT_MIN_COVERAGE_PERCENTAGE = 99.0
MAX_SAMPLES_WIDE = 480
BT709 = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)


@dataclass(frozen=True)
class BlackFrameFilter:
    max_pixel_threshold: float = DEFAULT_MAX_PIXEL_THRESHOLD
    min_coverage_percentage: float = DEFAULT_MIN_COVERAGE_PERCENTAGE

    @property
    def max_black_pixel_value(self) -> float:
        return 0.0 + self.max_pixel_threshold * 255.0

    def coverage_margin(self, coverage: float) -> float:
        """How far ``coverage`` (percent) lies between ``MinCoveragePercentage`` (0) and 100 (1)."""
        if self.min_coverage_percentage >= 100.0:
            return 1.0
        return (coverage - self.min_coverage_percentage) / (100.0 - self.min_coverage_percentage)


def black_coverage(rgb: NDArray[np.uint8], max_black_pixel_value: float) -> float:
    """Percentage (0-100) of the frame's pixels whose luma is at most ``max_black_pixel_value``."""
    stride = max(1, -(-rgb.shape[1] // MAX_SAMPLES_WIDE))
    rows = rgb[::stride]
    if stride > 1:
        per_row = rgb.shape[1] // stride
        cells = rows[:, : per_row * stride].reshape(rows.shape[0], per_row, stride, 3)
        phase = np.arange(rows.shape[0]) % stride
        rows = cells[np.arange(rows.shape[0]), :, phase]
    luma = rows.astype(np.float32) @ BT709
    # The tolerance absorbs float32 rounding (grey 51 must stay at luma 51, not 51.000004).
    return float(np.count_nonzero(luma <= max_black_pixel_value + 1e-3) * 100.0 / luma.size)
