"""Beard and Mustache from the darkness and texture of the skin below the nose and the mouth.

No trained beard/mustache model installs offline, so each is a measured signal against the cheek skin
reference (:mod:`.skin`), in the upright face frame (:mod:`.geometry`, unit = IOD):

Mustache region
    between the nostrils and the upper lip: from 0.05 below the midpoint of ``noseLeft``/``noseRight`` to
    0.02 above ``mouthUp``, 0.35 mouth widths either side of ``mouthUp``.
Beard region
    between the lower lip and the chin: from 0.05 below ``mouthDown`` to 0.05 above ``chinBottom``,
    0.4 mouth widths either side of ``mouthDown``.

Hair is darker than the skin it grows on and much more textured: for each region
``score = ln(texture / cheek texture) + ln(cheek L* / region L*)`` and
``p = logistic((score - THRESHOLD) / SCALE)``. Smile folds and a pursed chin also add texture, which is
where the signal errs (see docs/face-attributes.md).
"""

from __future__ import annotations

import math
from typing import Any

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, boolean_member, logistic, region, texture
from argus.vision.faces.attributes.skin import PER_IOD, Skin, median_lightness

MUSTACHE_THRESHOLD = 1.05
MUSTACHE_SCALE = 0.25
BEARD_THRESHOLD = 0.6
BEARD_SCALE = 0.15


def _score(patch: RGB, skin: Skin) -> float:
    light = max(1.0, median_lightness(patch))
    return math.log(max(texture(patch), 1e-3) / skin.texture) + math.log(skin.lightness / light)


def mustache_score(rgb: RGB, frame: FaceFrame, skin: Skin) -> float:
    nose_y = (frame["noseLeft"][1] + frame["noseRight"][1]) / 2.0
    up = frame["mouthUp"]
    half = 0.35 * float(abs(frame["mouthRight"][0] - frame["mouthLeft"][0]))
    top, bottom = float(nose_y) + 0.05, float(up[1]) - 0.02
    if bottom - top < 0.03:
        bottom = top + 0.03
    return _score(region(rgb, frame, float(up[0]) - half, top, float(up[0]) + half, bottom, PER_IOD), skin)


def beard_score(rgb: RGB, frame: FaceFrame, skin: Skin) -> float:
    down, chin = frame["mouthDown"], frame["chinBottom"]
    half = 0.4 * float(abs(frame["mouthRight"][0] - frame["mouthLeft"][0]))
    top, bottom = float(down[1]) + 0.05, float(chin[1]) - 0.05
    if bottom - top < 0.05:
        bottom = top + 0.05
    return _score(
        region(rgb, frame, float(down[0]) - half, top, float(down[0]) + half, bottom, PER_IOD), skin
    )


def mustache(rgb: RGB, frame: FaceFrame, skin: Skin) -> dict[str, Any]:
    return boolean_member(logistic((mustache_score(rgb, frame, skin) - MUSTACHE_THRESHOLD) / MUSTACHE_SCALE))


def beard(rgb: RGB, frame: FaceFrame, skin: Skin) -> dict[str, Any]:
    return boolean_member(logistic((beard_score(rgb, frame, skin) - BEARD_THRESHOLD) / BEARD_SCALE))
