"""The skin reference that the eyewear, facial-hair and occlusion signals compare regions against.

The reference is the two upper-cheek boxes of the face frame (:mod:`.geometry`): ``0.35 <= |x| <= 0.7``,
``0.45 <= y <= 0.7`` IOD, i.e. below the eyes and glasses lenses, beside the nose, above where beards
start on the faces measured. Every region is resampled at :data:`PER_IOD` pixels per IOD so textures
compare at one scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from argus.vision.faces.attributes.geometry import RGB, FaceFrame, lab, region, texture

PER_IOD = 40.0
CHEEK_X = (0.35, 0.7)
CHEEK_Y = (0.45, 0.7)


@dataclass(frozen=True)
class Skin:
    lightness: float  # median L* (0-255 OpenCV scale)
    texture: float  # mean |high-pass| of the grey cheeks, see geometry.texture
    chroma: tuple[float, float]  # median a*, b*


def cheeks(rgb: RGB, frame: FaceFrame) -> list[RGB]:
    return [
        region(rgb, frame, -CHEEK_X[1], CHEEK_Y[0], -CHEEK_X[0], CHEEK_Y[1], PER_IOD),
        region(rgb, frame, CHEEK_X[0], CHEEK_Y[0], CHEEK_X[1], CHEEK_Y[1], PER_IOD),
    ]


def skin_reference(rgb: RGB, frame: FaceFrame) -> Skin:
    parts = cheeks(rgb, frame)
    colours = np.concatenate([lab(part).reshape(-1, 3) for part in parts])
    return Skin(
        lightness=max(1.0, float(np.median(colours[:, 0]))),
        texture=max(0.5, float(np.mean([texture(part) for part in parts]))),
        chroma=(float(np.median(colours[:, 1])), float(np.median(colours[:, 2]))),
    )


def median_lightness(image: RGB) -> float:
    return float(np.median(lab(image)[..., 0]))
