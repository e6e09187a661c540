"""Area-averaged downscaling of frames (each analysis reads a small copy of the frame)."""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

WORKING_WIDTH = 480
"""Frames are reduced to at most this width once; every smaller copy is made from that one."""


def downscale(rgb: NDArray[np.uint8], max_width: int) -> NDArray[np.uint8]:
    """``rgb`` area-downscaled to at most ``max_width`` pixels wide, aspect kept (as is if narrower)."""
    height, width = rgb.shape[:2]
    if width <= max_width:
        return rgb
    size = (max_width, max(1, round(height * max_width / width)))
    return np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), np.uint8)
