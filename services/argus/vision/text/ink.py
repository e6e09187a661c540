"""Where the ink of a word is, inside the crop the recognizer read.

The crop is binarized with Otsu's threshold; its border (mostly the detector's margin around the
text) says which side is background, so light text on a dark sign works as well as dark on light.
Two neighbouring words are split at the widest run of blank columns near where the recognizer put
the space between them (its time steps are only roughly aligned with the pixels). A word's columns
are then the ink columns between its splits; its rows are the main band of ink rows in those
columns (small gaps such as the dot of an ``i`` are bridged, bits of neighbouring lines poking into
the margin are not).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

MIN_COLUMN_INK = 2  # ink pixels (of 64 rows) for a column to count as part of a word
ROW_GAP = 6  # rows of no ink bridged inside one band (about 10 % of the 64-pixel crop)


def ink_mask(grey: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """True where the crop has ink (text), False on background."""
    if grey.size == 0 or int(grey.max()) == int(grey.min()):
        return np.zeros(grey.shape, dtype=bool)
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    light = binary > 0
    border = np.concatenate([light[0], light[-1], light[:, 0], light[:, -1]])
    background_is_light = bool(border.mean() >= 0.5)
    return ~light if background_is_light else light


def _runs(flags: NDArray[np.bool_], gap: int) -> list[tuple[int, int]]:
    """``[start, stop)`` runs of True, joining runs separated by at most ``gap`` False entries."""
    runs: list[tuple[int, int]] = []
    for index in np.flatnonzero(flags).tolist():
        if runs and index - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _main_band(mask: NDArray[np.bool_]) -> tuple[int, int] | None:
    """The band of rows holding the most ink, small gaps bridged."""
    per_row = mask.sum(axis=1)
    runs = _runs(per_row > 0, ROW_GAP)
    if not runs:
        return None
    return max(runs, key=lambda run: int(per_row[run[0] : run[1]].sum()))


def widest_gap(mask: NDArray[np.bool_], low: float, high: float) -> float | None:
    """Middle of the widest run of blank columns between ``low`` and ``high`` (None: no blank column)."""
    band = _main_band(mask)
    if band is None:
        return None
    start, stop = max(0, int(np.floor(low))), min(mask.shape[1], int(np.ceil(high)))
    if stop <= start:
        return None
    blank = mask[band[0] : band[1], start:stop].sum(axis=0) < MIN_COLUMN_INK
    runs = _runs(blank, 0)
    if not runs:
        return None
    centre = (low + high) / 2
    first, last = max(runs, key=lambda run: (run[1] - run[0], -abs(start + (run[0] + run[1]) / 2 - centre)))
    return start + (first + last) / 2


def word_extent(mask: NDArray[np.bool_], left: int, right: int) -> tuple[int, int, int, int] | None:
    """``(x0, x1, y0, y1)`` (pixel edges, exclusive ends) of the ink between columns left and right."""
    left, right = max(0, left), min(mask.shape[1], right)
    if right <= left:
        return None
    window = mask[:, left:right]
    band = _main_band(window)
    if band is None:
        return None
    columns = np.flatnonzero(window[band[0] : band[1]].sum(axis=0) >= MIN_COLUMN_INK)
    if columns.size == 0:
        return None
    x0, x1 = left + int(columns[0]), left + int(columns[-1]) + 1
    rows = _main_band(mask[:, x0:x1])
    if rows is None:
        return None
    return x0, x1, rows[0], rows[1]
