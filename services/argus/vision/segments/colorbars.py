"""Colour bars: the SMPTE (EG 1) and EBU/full-field test patterns.

Both start with vertical bars of equal width whose RGB channels are each either off or at one level
(75 % or 100 %): SMPTE has seven over the top two thirds of the picture (grey, yellow, cyan, green,
magenta, red, blue), full-field/EBU bars eight over the whole height (white first, black last).

Measured on a frame area-downscaled to :data:`ANALYSIS_WIDTH` pixels: the band of rows
:data:`BAND` (inside the bars of both patterns) is cut into the pattern's bars; in the middle half of
each bar (away from chroma-subsampled edges) the median colour is taken. The level is the brightest
channel of the first bar. A bar's *deviation* is the largest difference, relative to the level, between
its median channels and the pattern's ``level`` or ``0``, or its pixels' mean absolute difference from
that median (a bar must be flat). The frame shows bars when the level is at least :data:`MIN_LEVEL` and
the worst deviation is below :data:`MAX_DEVIATION`; its score is ``1 - worst deviation``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

ANALYSIS_WIDTH = 160
BAND = (0.15, 0.6)  # fraction of the height
MIN_LEVEL = 96.0
MAX_DEVIATION = 0.25

SMPTE = ((1, 1, 1), (1, 1, 0), (0, 1, 1), (0, 1, 0), (1, 0, 1), (1, 0, 0), (0, 0, 1))
FULL_FIELD = (*SMPTE, (0, 0, 0))
PATTERNS: tuple[NDArray[np.float32], ...] = (
    np.array(SMPTE, dtype=np.float32),
    np.array(FULL_FIELD, dtype=np.float32),
)


def color_bars_score(small: NDArray[np.uint8]) -> float:
    """How closely a downscaled RGB frame matches a colour-bar pattern: ``1 - worst deviation`` of the
    best pattern, 0 when it matches none."""
    height, width = small.shape[:2]
    band = small[int(BAND[0] * height) : max(int(BAND[1] * height), int(BAND[0] * height) + 1)].astype(
        np.float32
    )
    best = 0.0
    for pattern in PATTERNS:
        count = len(pattern)
        bar_width = width / count
        if bar_width < 4:
            continue
        medians = []
        spreads = []
        for bar in range(count):
            left = round((bar + 0.25) * bar_width)
            right = max(left + 1, round((bar + 0.75) * bar_width))
            pixels = band[:, left:right].reshape(-1, 3)
            median = np.median(pixels, axis=0)
            medians.append(median)
            spreads.append(float(np.mean(np.abs(pixels - median))))
        level = float(np.max(medians[0]))
        if level < MIN_LEVEL:
            continue
        colours = np.array(medians) / level
        deviation = max(float(np.max(np.abs(colours - pattern))), max(spreads) / level)
        if deviation < MAX_DEVIATION:
            best = max(best, 1.0 - deviation)
    return best
