"""Face image quality: Brightness and Sharpness on a 0-100 scale, measured on the face box.

The face region is the detector box clipped to the image. Both measures use luma
``Y = 0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601, as ``cv2.COLOR_RGB2GRAY``).

Brightness
    ``100 * mean(Y) / 255`` over the face region: 0 for a black face, 100 for a white one.

Sharpness
    The face region is resized to ``SHARPNESS_SIZE`` x ``SHARPNESS_SIZE`` pixels (area interpolation when
    shrinking, bilinear when enlarging) so the score does not depend on the face's size in pixels, and
    the variance ``v`` of its 3x3 Laplacian (``cv2.Laplacian``, ``ksize=1``, on Y in 0-255 units) is mapped
    through the saturating curve ``100 * (1 - exp(-v / SHARPNESS_SCALE))``. Blur removes high
    frequencies and lowers ``v``; a perfectly flat region scores 0 and the score approaches 100 as detail
    grows. With ``SHARPNESS_SCALE = 300`` the in-focus faces of the test photos score 35-100 (median 81;
    the low end is a soft, upscaled PNG) and a Gaussian blur of sigma 1 / 2 px (at 112 px) brings them
    below 30 / 6.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

SHARPNESS_SIZE = 112
SHARPNESS_SCALE = 300.0


@dataclass(frozen=True)
class Quality:
    brightness: float
    sharpness: float

    def as_rekognition(self) -> dict[str, float]:
        return {"Brightness": self.brightness, "Sharpness": self.sharpness}


def face_crop(rgb: NDArray[np.uint8], box: tuple[float, float, float, float]) -> NDArray[np.uint8] | None:
    """Luma of the box ``(left, top, right, bottom)`` clipped to the image; ``None`` if empty."""
    height, width = rgb.shape[:2]
    left = max(0, math.floor(box[0]))
    top = max(0, math.floor(box[1]))
    right = min(width, math.ceil(box[2]))
    bottom = min(height, math.ceil(box[3]))
    if right - left < 2 or bottom - top < 2:
        return None
    region = np.ascontiguousarray(rgb[top:bottom, left:right])
    return np.asarray(cv2.cvtColor(region, cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def brightness(luma: NDArray[np.uint8]) -> float:
    return float(100.0 * float(luma.mean()) / 255.0)


def laplacian_variance(luma: NDArray[np.uint8]) -> float:
    """Variance of the 3x3 Laplacian of ``luma`` resized to ``SHARPNESS_SIZE`` square."""
    height, width = luma.shape
    shrinking = height > SHARPNESS_SIZE or width > SHARPNESS_SIZE
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    resized = cv2.resize(luma, (SHARPNESS_SIZE, SHARPNESS_SIZE), interpolation=interpolation)
    laplacian = cv2.Laplacian(resized.astype(np.float64), cv2.CV_64F, ksize=1)
    return float(laplacian.var())


def sharpness(luma: NDArray[np.uint8]) -> float:
    return float(100.0 * (1.0 - math.exp(-laplacian_variance(luma) / SHARPNESS_SCALE)))


def measure_quality(rgb: NDArray[np.uint8], box: tuple[float, float, float, float]) -> Quality:
    """Brightness and Sharpness (0-100) of the face ``box`` in pixels ``(left, top, right, bottom)``."""
    luma = face_crop(rgb, box)
    if luma is None:
        return Quality(brightness=0.0, sharpness=0.0)
    return Quality(brightness=brightness(luma), sharpness=sharpness(luma))
