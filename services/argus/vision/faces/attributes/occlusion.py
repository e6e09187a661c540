"""FaceOccluded from three measured signals (no trained occlusion model installs offline).

Rekognition's definition: true when the eyes, nose or mouth are only partly in the picture or are covered
(masks, dark sunglasses, phones, hands, ...); false for clear glasses, light tints, strands of hair. So
``p = max(p_cut, p_sunglasses, p_cover)``:

``p_cut``
    The share of the box around the eyes, nose and mouth landmarks (eye corners, ``nose``, mouth corners,
    ``mouthUp``, ``mouthDown``) that lies outside the image, ``logistic((outside - 0.05) / 0.02)``. The
    face box itself is not used: it includes hair and chin and may overhang the border while every feature
    is in the picture.
``p_sunglasses``
    The dark-lens probability of :mod:`.eyewear`.
``p_cover``
    Something over the nose and mouth. The nose box (``|x| <= 0.25``, ``0.3 <= y <= 0.6`` IOD: always bare
    skin, never beard) is compared with the skin between the eyebrows (``|x| <= 0.2``,
    ``-0.55 <= y <= -0.3``), which a mask, hand or phone over the lower face leaves uncovered: a pixel is
    foreign when its a*b* chroma is more than :data:`CHROMA_DISTANCE` from the reference's median or its
    L* is outside 0.6-1.6 times the reference's; ``p_cover = logistic((foreign - COVER_SHARE) / 0.08)``.
    A skin-coloured cover (a hand) is not seen by the colour test.

The labelled photos contain no covered face; the cover signal was measured by pasting patches of other
real photos over the nose and mouth (``bench/face_attributes_accuracy.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, boolean_member, lab, logistic, region
from argus.vision.faces.attributes.skin import PER_IOD

CHROMA_DISTANCE = 12.0
COVER_SHARE = 0.5
FEATURE_POINTS = (
    "leftEyeLeft",
    "leftEyeRight",
    "rightEyeLeft",
    "rightEyeRight",
    "nose",
    "mouthLeft",
    "mouthRight",
    "mouthUp",
    "mouthDown",
)


def outside_share(box: tuple[float, float, float, float], width: int, height: int) -> float:
    left, top, right, bottom = box
    area = max(right - left, 1e-6) * max(bottom - top, 1e-6)
    inside_w = max(0.0, min(right, width) - max(left, 0.0))
    inside_h = max(0.0, min(bottom, height) - max(top, 0.0))
    return float(1.0 - inside_w * inside_h / area)


def foreign_share(rgb: RGB, frame: FaceFrame) -> float:
    reference = lab(region(rgb, frame, -0.2, -0.55, 0.2, -0.3, PER_IOD)).reshape(-1, 3)
    nose = lab(region(rgb, frame, -0.25, 0.3, 0.25, 0.6, PER_IOD)).reshape(-1, 3)
    light = max(1.0, float(np.median(reference[:, 0])))
    chroma = np.median(reference[:, 1:], axis=0)
    distance = np.linalg.norm(nose[:, 1:] - chroma, axis=1)
    ratio = nose[:, 0] / light
    foreign = (distance > CHROMA_DISTANCE) | (ratio < 0.6) | (ratio > 1.6)
    return float(foreign.mean())


def features_box(frame: FaceFrame) -> tuple[float, float, float, float]:
    """Pixel box around the eye, nose and mouth landmarks."""
    points = np.array([frame.to_image(*frame.points[name]) for name in FEATURE_POINTS])
    left, top = points.min(axis=0)
    right, bottom = points.max(axis=0)
    return float(left), float(top), float(right), float(bottom)


def face_occluded(rgb: RGB, frame: FaceFrame, sunglasses: float) -> dict[str, Any]:
    height, width = rgb.shape[:2]
    cut = logistic((outside_share(features_box(frame), width, height) - 0.05) / 0.02)
    cover = logistic((foreign_share(rgb, frame) - COVER_SHARE) / 0.06)
    return boolean_member(max(cut, sunglasses, cover))
