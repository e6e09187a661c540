"""EyeDirection: where the eyes look relative to the head, from the iris position between the eye corners.

The landmarks carry no measured pupil (the 68-point layout's "pupil" is the centre of the eye contour),
so the iris is found in the pixels. For each eye, the polygon ``EyeLeft, EyeUp, EyeRight, EyeDown`` is
resampled upright at :data:`PER_IOD` pixels per IOD (:mod:`.geometry`); the iris is the centroid of the
pixels darker than the polygon's 25th lightness percentile, weighted by how much darker they are. Its
offset from the midpoint of the two corners, in half eye widths, is ``h`` (towards the image's right
positive) and ``v`` (down positive); both eyes are averaged.

Angles
    The iris centre moves on the eyeball (radius ~12 mm) while the half eye width is ~15 mm, so
    ``Yaw = asin(1.25 h)`` and ``Pitch = asin(-1.25 (v - V_REST))`` in degrees, clipped to +-90.
    ``V_REST`` = -0.21 is the median ``v`` of the labelled faces looking into the camera (the iris centre
    sits above the corner line and the upper lashes pull the dark centroid up). Yaw > 0: the eyes turn
    towards the image's right; Pitch > 0: they look up, like the head ``Pose`` angles. The angles are
    relative to the head; add the head ``Pose`` for the gaze relative to the camera.

Confidence
    ``100 * p_eyes_open * agreement * contrast`` with ``agreement = exp(-|h_left - h_right| / 0.3)`` (both
    eyes must agree) and ``contrast = 1 - exp(-c / 15)``, ``c`` = median minus 25th-percentile lightness
    inside the eye polygons (a blurred or badly located eye has no dark iris to find).
"""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, lab, region

PER_IOD = 80.0
GAIN = 1.25
V_REST = -0.21


def iris_offset(rgb: RGB, frame: FaceFrame, side: str) -> tuple[float, float, float] | None:
    """``(h, v, contrast)`` of one eye (``side`` is ``"left"`` or ``"right"``), ``None`` if not measurable."""
    a, b = frame[f"{side}EyeLeft"], frame[f"{side}EyeRight"]
    up, down = frame[f"{side}EyeUp"], frame[f"{side}EyeDown"]
    half_width = float(np.linalg.norm(b - a)) / 2.0
    if half_width < 0.02:
        return None
    x0, x1 = float(min(a[0], b[0])), float(max(a[0], b[0]))
    y0 = float(min(up[1], a[1], b[1])) - 0.05
    y1 = float(max(down[1], a[1], b[1])) + 0.05
    light = lab(region(rgb, frame, x0, y0, x1, y1, PER_IOD))[..., 0]
    height, width = light.shape
    polygon = np.array([a, up, b, down], dtype=np.float64)
    polygon = np.round((polygon - (x0, y0)) * PER_IOD).astype(np.int32)
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.fillConvexPoly(mask, polygon, 1)
    values = light[mask > 0]
    if values.size < 10:
        return None
    threshold = float(np.percentile(values, 25))
    weights = np.clip(threshold - light, 0.0, None) * mask
    total = float(weights.sum())
    if total <= 0.0:
        return None
    rows, cols = np.mgrid[0:height, 0:width]
    cx = float((weights * cols).sum()) / total / PER_IOD + x0
    cy = float((weights * rows).sum()) / total / PER_IOD + y0
    centre = (a + b) / 2.0
    return (
        (cx - float(centre[0])) / half_width,
        (cy - float(centre[1])) / half_width,
        float(np.median(values)) - threshold,
    )


def _angle(value: float) -> float:
    return math.degrees(math.asin(min(1.0, max(-1.0, value))))


def eye_direction(rgb: RGB, frame: FaceFrame, eyes_open: float) -> dict[str, Any]:
    """Rekognition ``EyeDirection`` ``{Yaw, Pitch, Confidence}``; ``eyes_open`` is p(EyesOpen)."""
    found = [o for o in (iris_offset(rgb, frame, "left"), iris_offset(rgb, frame, "right")) if o is not None]
    if not found:
        return {"Yaw": 0.0, "Pitch": 0.0, "Confidence": 0.0}
    h = float(np.mean([o[0] for o in found]))
    v = float(np.mean([o[1] for o in found]))
    contrast = float(np.mean([o[2] for o in found]))
    agreement = math.exp(-abs(found[0][0] - found[-1][0]) / 0.3) if len(found) == 2 else 0.5
    confidence = 100.0 * eyes_open * agreement * (1.0 - math.exp(-contrast / 15.0))
    return {
        "Yaw": float(_angle(GAIN * h)),
        "Pitch": float(_angle(-GAIN * (v - V_REST))),
        "Confidence": float(min(100.0, max(0.0, confidence))),
    }
