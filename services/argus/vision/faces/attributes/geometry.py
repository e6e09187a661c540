"""The upright face frame that every attribute measures in, and helpers shared by the attribute modules.

Face frame
    Origin at the midpoint of the two eye centres (``eyeLeft``, ``eyeRight``), x along the line from
    ``eyeLeft`` to ``eyeRight`` (the image's right on an upright face), y perpendicular to it pointing
    down the face, unit = the inter-ocular distance (IOD, eye centre to eye centre). In this frame the
    eyes are at (-0.5, 0) and (0.5, 0) whatever the face's size and roll, so a region such as "the chin"
    is a fixed-size box relative to the named landmarks.

Regions are resampled from the image upright (roll removed) with ``cv2.warpAffine`` at a fixed number of
pixels per IOD, so every texture or colour statistic is measured at the same scale for a 40-pixel face and
a 400-pixel one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Point = tuple[float, float]
RGB = NDArray[np.uint8]


@dataclass(frozen=True)
class FaceFrame:
    """A face's upright frame: ``points`` are the landmarks in IOD units (see module docstring)."""

    origin: tuple[float, float]  # pixel position of the eye midpoint
    iod: float  # pixels
    roll: float  # degrees, angle of the eyeLeft -> eyeRight line in the image (clockwise positive)
    points: dict[str, tuple[float, float]]

    def __getitem__(self, name: str) -> NDArray[np.float64]:
        return np.asarray(self.points[name], dtype=np.float64)

    def to_image(self, x: float, y: float) -> tuple[float, float]:
        """Pixel position of the face-frame point ``(x, y)``."""
        cos, sin = math.cos(math.radians(self.roll)), math.sin(math.radians(self.roll))
        return (
            self.origin[0] + self.iod * (cos * x - sin * y),
            self.origin[1] + self.iod * (sin * x + cos * y),
        )


def face_frame(landmarks: dict[str, Point]) -> FaceFrame:
    """The upright frame of a face from its named pixel landmarks (needs ``eyeLeft`` and ``eyeRight``)."""
    left = np.asarray(landmarks["eyeLeft"], dtype=np.float64)
    right = np.asarray(landmarks["eyeRight"], dtype=np.float64)
    delta = right - left
    iod = float(np.hypot(delta[0], delta[1]))
    if iod < 1e-6:
        raise ValueError("eyeLeft and eyeRight coincide")
    cos, sin = delta / iod
    rotation = np.array([[cos, sin], [-sin, cos]])
    origin = (left + right) / 2.0
    points = {
        name: tuple(float(v) for v in rotation @ (np.asarray(point, dtype=np.float64) - origin) / iod)
        for name, point in landmarks.items()
    }
    return FaceFrame(
        origin=(float(origin[0]), float(origin[1])),
        iod=iod,
        roll=math.degrees(math.atan2(delta[1], delta[0])),
        points=points,  # type: ignore[arg-type]
    )


def region(rgb: RGB, frame: FaceFrame, x0: float, y0: float, x1: float, y1: float, per_iod: float) -> RGB:
    """The face-frame box ``[x0, x1] x [y0, y1]`` resampled upright at ``per_iod`` pixels per IOD.

    Parts of the box outside the image repeat the border pixels (``BORDER_REPLICATE``).
    """
    width = max(2, round((x1 - x0) * per_iod))
    height = max(2, round((y1 - y0) * per_iod))
    cos, sin = math.cos(math.radians(frame.roll)), math.sin(math.radians(frame.roll))
    scale = frame.iod / per_iod
    start = frame.to_image(x0, y0)
    # Output pixel (u, v) -> image point start + scale * R (u, v).
    matrix = np.array(
        [[scale * cos, -scale * sin, start[0]], [scale * sin, scale * cos, start[1]]], dtype=np.float64
    )
    return _resample(rgb, matrix, width, height, scale)


def _resample(rgb: RGB, matrix: NDArray[np.float64], width: int, height: int, scale: float) -> RGB:
    """Warp the box out of the image; when shrinking, blur first (sigma from the scale) against aliasing."""
    sigma = 0.5 * math.sqrt(max(scale * scale - 1.0, 0.0))
    # Only the part of the image under the box needs blurring.
    corners = matrix @ np.array(
        [[0, width, 0, width], [0, 0, height, height], [1, 1, 1, 1]], dtype=np.float64
    )
    pad = 3.0 * sigma + 2.0
    left = max(0, math.floor(corners[0].min() - pad))
    top = max(0, math.floor(corners[1].min() - pad))
    right = min(rgb.shape[1], math.ceil(corners[0].max() + pad))
    bottom = min(rgb.shape[0], math.ceil(corners[1].max() + pad))
    if right - left < 2 or bottom - top < 2:
        left, top, right, bottom = 0, 0, rgb.shape[1], rgb.shape[0]
    patch = np.ascontiguousarray(rgb[top:bottom, left:right])
    if sigma > 0.3:
        patch = np.asarray(cv2.GaussianBlur(patch, (0, 0), sigma), dtype=np.uint8)
    shifted = matrix.copy()
    shifted[:, 2] -= (left, top)
    out = cv2.warpAffine(
        patch,
        shifted,
        (width, height),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(out, dtype=np.uint8)


def lab(image: RGB) -> NDArray[np.float64]:
    """CIE L*a*b* of an RGB uint8 image as float: L in 0-255 (OpenCV scale), a and b centred on 0."""
    converted = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2LAB).astype(np.float64)
    converted[..., 1:] -= 128.0
    return converted


def texture(image: RGB) -> float:
    """Mean absolute high-pass of the grey image: ``|Y - GaussianBlur(Y, sigma=1.5)|`` (0-255 units)."""
    grey = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY).astype(np.float64)
    return float(np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 1.5)).mean())


def logistic(x: float) -> float:
    """``1 / (1 + exp(-x))``, safe for large ``|x|``."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def boolean_member(probability: float) -> dict[str, Any]:
    """Rekognition ``{Value, Confidence}`` of a yes/no attribute whose yes-probability is ``probability``."""
    p = min(max(float(probability), 0.0), 1.0)
    return {"Value": bool(p >= 0.5), "Confidence": float(100.0 * max(p, 1.0 - p))}
