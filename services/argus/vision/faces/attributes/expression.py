"""Smile, MouthOpen and EyesOpen from landmark geometry and the pixels between the lips.

All lengths are in the upright face frame (:mod:`.geometry`, unit = inter-ocular distance, IOD).

Smile
    Two estimates, averaged: the expression network's ``happy`` probability (:mod:`.emotions`) and a
    geometric one, ``logistic((lift - SMILE_LIFT) / SMILE_LIFT_SCALE + (width - SMILE_WIDTH) /
    SMILE_WIDTH_SCALE)``, where ``lift`` is how far the mouth corners (``mouthLeft``, ``mouthRight``) sit
    above the midpoint of ``mouthUp`` and ``mouthDown`` and ``width`` is the corner-to-corner distance.
    On the labelled faces, smiles have lift >= 0.15 and width >= 0.95; closed, neutral mouths lift
    <= 0.10 and width <= 0.93.

MouthOpen
    ``mouthUp`` / ``mouthDown`` are the outer lip edges, so their distance alone mixes lip thickness with
    the gap. The gap is therefore looked at: a strip of the central 40 % of the mouth width from
    ``mouthUp`` to ``mouthDown`` is resampled (:data:`STRIP_ROWS` rows); the lip colour is the median
    L*a*b* of its top and bottom sixths; a pixel is *teeth* when ``L > 1.1 L_lip`` and ``a < 0.5 a_lip + 2``
    (brighter and less red than the lips) and *cavity* when ``L < 0.5 L_lip``; ``gap`` = the fraction of
    rows of which more than half the pixels are teeth or cavity (a closed mouth shows only the thin dark
    line between the lips).
    Score ``s = gap + (height / width - 0.30)``, where ``height / width`` is the outer-lip aspect ratio;
    ``p = logistic((s - MOUTH_THRESHOLD) / MOUTH_SCALE)``. On the labelled faces closed mouths score
    -0.06-0.27 (one 0.40: grey lips in a desaturated still) and open ones 0.33-0.76 (one 0.20: a blurred
    frame), hence :data:`MOUTH_THRESHOLD` = 0.30.

EyesOpen
    Eye aspect ratio (Soukupova & Cech, 2016) per eye: ``|EyeUp - EyeDown| / |EyeLeft - EyeRight|``,
    averaged over both eyes; ``p = logistic((ear - EAR_THRESHOLD) / EAR_SCALE)``. Open eyes measure
    0.17-0.43 on the labelled faces (narrowed by a broad smile at the low end); the paper puts closed
    eyes near 0.05-0.1 and uses 0.2 as its blink threshold for its own 6-point EAR. The labelled set has
    no closed eyes, so the threshold could not be measured here: :data:`EAR_THRESHOLD` = 0.14 sits between
    the paper's closed values and the smallest open value seen.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, boolean_member, lab, logistic, region

SMILE_LIFT = 0.12
SMILE_LIFT_SCALE = 0.03
SMILE_WIDTH = 0.95
SMILE_WIDTH_SCALE = 0.06

STRIP_ROWS = 40
MOUTH_THRESHOLD = 0.30
MOUTH_SCALE = 0.04

EAR_THRESHOLD = 0.14
EAR_SCALE = 0.03


def _distance(frame: FaceFrame, a: str, b: str) -> float:
    return float(np.linalg.norm(frame[a] - frame[b]))


def smile_geometry(frame: FaceFrame) -> tuple[float, float]:
    """``(lift, width)`` of the mouth corners in IOD units (see module docstring)."""
    width = _distance(frame, "mouthLeft", "mouthRight")
    centre_y = (frame["mouthUp"][1] + frame["mouthDown"][1]) / 2.0
    corners_y = (frame["mouthLeft"][1] + frame["mouthRight"][1]) / 2.0
    return float(centre_y - corners_y), width


def smile_probability(frame: FaceFrame, happy: float) -> float:
    lift, width = smile_geometry(frame)
    geometric = logistic((lift - SMILE_LIFT) / SMILE_LIFT_SCALE + (width - SMILE_WIDTH) / SMILE_WIDTH_SCALE)
    return 0.5 * (happy + geometric)


def mouth_gap(rgb: RGB, frame: FaceFrame) -> float:
    """Fraction of the rows between the outer lip edges that show teeth or the mouth cavity."""
    up, down = frame["mouthUp"], frame["mouthDown"]
    height = float(down[1] - up[1])
    if height <= 1e-3:
        return 0.0
    centre_x = float((up[0] + down[0]) / 2.0)
    half = 0.2 * _distance(frame, "mouthLeft", "mouthRight")
    strip = lab(
        region(
            rgb, frame, centre_x - half, float(up[1]), centre_x + half, float(down[1]), STRIP_ROWS / height
        )
    )
    light, red = strip[..., 0], strip[..., 1]
    edge = max(1, strip.shape[0] // 6)
    lip_light = float(np.median(np.concatenate([light[:edge], light[-edge:]])))
    lip_red = float(np.median(np.concatenate([red[:edge], red[-edge:]])))
    teeth = (light > 1.1 * lip_light) & (red < 0.5 * lip_red + 2.0)
    cavity = light < 0.5 * lip_light
    rows = ((teeth | cavity).mean(axis=1) > 0.5).mean()
    return float(rows)


def mouth_open_score(rgb: RGB, frame: FaceFrame) -> float:
    width = _distance(frame, "mouthLeft", "mouthRight")
    height = _distance(frame, "mouthUp", "mouthDown")
    ratio = height / width if width > 1e-6 else 0.0
    return mouth_gap(rgb, frame) + (ratio - 0.30)


def eye_aspect_ratio(frame: FaceFrame) -> float:
    ratios = []
    for side in ("left", "right"):
        width = _distance(frame, f"{side}EyeLeft", f"{side}EyeRight")
        if width > 1e-6:
            ratios.append(_distance(frame, f"{side}EyeUp", f"{side}EyeDown") / width)
    return float(np.mean(ratios)) if ratios else 0.0


def eyes_open_probability(frame: FaceFrame) -> float:
    return logistic((eye_aspect_ratio(frame) - EAR_THRESHOLD) / EAR_SCALE)


def smile(frame: FaceFrame, happy: float) -> dict[str, Any]:
    return boolean_member(smile_probability(frame, happy))


def mouth_open(rgb: RGB, frame: FaceFrame) -> dict[str, Any]:
    score = mouth_open_score(rgb, frame)
    return boolean_member(logistic((score - MOUTH_THRESHOLD) / MOUTH_SCALE) if math.isfinite(score) else 0.5)


def eyes_open(frame: FaceFrame) -> dict[str, Any]:
    return boolean_member(eyes_open_probability(frame))
