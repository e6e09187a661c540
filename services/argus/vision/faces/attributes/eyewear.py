"""Sunglasses and Eyeglasses from the pixels of the eye region (no trained model: none installs offline).

Measured in the upright face frame (:mod:`.geometry`) against the cheek skin reference (:mod:`.skin`).

Sunglasses
    Dark lenses make both eye boxes (``|x| in [0.2, 0.8]``, ``|y| <= 0.15`` IOD, centred on each eye)
    uniformly dark: ``dark`` = median L* of the eye boxes / median L* of the cheeks and ``flat`` = their
    high-pass texture / the cheeks' texture. Bare eyes contain lashes, iris and sclera (``flat`` >= 1.7
    on well-located eyes) and are a little darker than the cheeks (``dark`` 0.34-0.94, the low end deep-set,
    shadowed eyes). ``p = logistic((SUN_DARK - dark) / 0.05) * logistic((SUN_FLAT - flat) / 0.2)``.

Eyeglasses
    Sunglasses are eyeglasses, so ``p = max(p_sunglasses, p_frame)``. ``p_frame`` looks for the bridge
    of a frame across the nose between the eyes (``|x| <= 0.1``, ``|y| <= 0.12`` IOD), where bare skin is
    smooth: a bar must cross every column, so for each row the 20th percentile over the columns of
    ``|d/dy|`` (3x3 Sobel, grey) is taken; ``bridge`` = the largest of those / the cheeks' texture and
    ``p_frame = logistic((bridge - BRIDGE_EDGE) / BRIDGE_SCALE)``. Measured: bare faces 1.8-27.6 (frown
    lines and eye make-up reach the top of that range), the one correctly located pair of glasses 9.0, so
    this does not separate glasses from bare skin on the labelled set, which has no clear-lens glasses at
    all. :data:`BRIDGE_EDGE` = 30 is set above every bare face so that the frame signal rarely fires; in
    practice Eyeglasses is true for tinted lenses only.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, boolean_member, logistic, region, texture
from argus.vision.faces.attributes.skin import PER_IOD, Skin, median_lightness

SUN_DARK = 0.5
SUN_FLAT = 1.5
BRIDGE_EDGE = 30.0
BRIDGE_SCALE = 3.0


def eye_boxes(rgb: RGB, frame: FaceFrame) -> list[RGB]:
    return [region(rgb, frame, cx - 0.3, -0.15, cx + 0.3, 0.15, PER_IOD) for cx in (-0.5, 0.5)]


def sunglasses_features(rgb: RGB, frame: FaceFrame, skin: Skin) -> tuple[float, float]:
    """``(dark, flat)`` of the eye boxes relative to the cheeks."""
    boxes = eye_boxes(rgb, frame)
    dark = float(np.median([median_lightness(box) for box in boxes])) / skin.lightness
    flat = float(np.mean([texture(box) for box in boxes])) / skin.texture
    return dark, flat


def sunglasses_probability(rgb: RGB, frame: FaceFrame, skin: Skin) -> float:
    dark, flat = sunglasses_features(rgb, frame, skin)
    return logistic((SUN_DARK - dark) / 0.05) * logistic((SUN_FLAT - flat) / 0.2)


def bridge_edge(rgb: RGB, frame: FaceFrame, skin: Skin) -> float:
    patch = region(rgb, frame, -0.1, -0.12, 0.1, 0.12, PER_IOD)
    grey = cv2.cvtColor(patch, cv2.COLOR_RGB2GRAY).astype(np.float64)
    edges = np.abs(cv2.Sobel(grey, cv2.CV_64F, 0, 1, ksize=3))[1:-1, 1:-1]
    return float(np.percentile(edges, 20, axis=1).max()) / skin.texture


def eyeglasses_probability(rgb: RGB, frame: FaceFrame, skin: Skin, sunglasses: float) -> float:
    frame_p = logistic((bridge_edge(rgb, frame, skin) - BRIDGE_EDGE) / BRIDGE_SCALE)
    return max(sunglasses, frame_p)


def sunglasses(probability: float) -> dict[str, Any]:
    return boolean_member(probability)


def eyeglasses(probability: float) -> dict[str, Any]:
    return boolean_member(probability)
