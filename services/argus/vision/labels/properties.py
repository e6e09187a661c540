"""DetectLabels' IMAGE_PROPERTIES: quality (brightness, sharpness, contrast) and dominant colours.

All measures use luma ``Y = 0.299 R + 0.587 G + 0.114 B`` (ITU-R BT.601, ``cv2.COLOR_RGB2GRAY``) of the
image (or of an instance's box), resized so that its long side is at most :data:`ANALYSIS_SIZE` pixels
(area interpolation) so that the scores do not depend on the resolution.

Brightness
    ``100 * mean(Y) / 255``.
Sharpness
    Variance ``v`` of the 3x3 Laplacian of ``Y`` mapped through ``100 * (1 - exp(-v / 300))``, the scale
    DetectFaces' face Quality uses (:mod:`argus.vision.faces.quality`): flat regions score 0, detailed
    in-focus photos approach 100, blur lowers the score.
Contrast
    RMS contrast: ``100 * min(1, std(Y) / 128)`` (a black-and-white half-and-half image scores 100).
Dominant colours
    k-means (k = the number of colours asked for, at most 20) on the pixels in CIE L*a*b*, seeded for
    repeatability; clusters are named by the nearest CSS colour keyword (the CSS Color Module list, as
    Pillow's ``ImageColor.colormap``) and the nearest of eleven basic colour terms (SimplifiedColor);
    clusters with the same CSS name are merged; ``PixelPercent`` is the share of pixels.

Rekognition also describes the image's foreground and background; no general foreground segmentation
model installs offline, so Argus leaves ``Foreground`` and ``Background`` out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

ANALYSIS_SIZE = 512
SHARPNESS_SCALE = 300.0
COLOUR_SAMPLE = 96  # pixels on the long side of the image the colours are clustered on
DEFAULT_MAX_COLOURS = 10
MAX_COLOURS = 20
SIMPLIFIED = ("black", "white", "grey", "red", "orange", "yellow", "green", "blue", "purple", "pink", "brown")
ACHROMATIC_CHROMA = 12.0

RGB = NDArray[np.uint8]


def _lab(colours: NDArray[np.uint8]) -> NDArray[np.float32]:
    """CIE L*a*b* (OpenCV's float scale: L 0-100) of ``(N, 3)`` RGB colours."""
    as_image = (colours.reshape(-1, 1, 3).astype(np.float32)) / 255.0
    return np.asarray(cv2.cvtColor(as_image, cv2.COLOR_RGB2LAB).reshape(-1, 3), dtype=np.float32)


@dataclass(frozen=True)
class Palette:
    names: tuple[str, ...]
    rgb: NDArray[np.uint8]
    lab: NDArray[np.float32]

    def nearest(self, lab: NDArray[np.float32]) -> list[str]:
        distances = ((lab[:, None, :] - self.lab[None, :, :]) ** 2).sum(axis=2)
        return [self.names[index] for index in distances.argmin(axis=1)]


def _palette(named: dict[str, tuple[int, int, int]]) -> Palette:
    rgb = np.array(list(named.values()), dtype=np.uint8)
    return Palette(tuple(named), rgb, _lab(rgb))


@cache
def css_palette() -> Palette:
    from PIL import ImageColor

    named: dict[str, tuple[int, int, int]] = {}
    seen: set[tuple[int, int, int]] = set()
    for name in sorted(ImageColor.colormap):
        value = ImageColor.getrgb(name)
        colour = (int(value[0]), int(value[1]), int(value[2]))
        if colour in seen:  # "grey" spellings and aliases (aqua/cyan, fuchsia/magenta): keep the first
            continue
        seen.add(colour)
        named[name] = colour
    return _palette(named)


def simplified(lab: NDArray[np.float32]) -> str:
    """One of :data:`SIMPLIFIED` for a CIE L*a*b* colour, by lightness, chroma and hue angle."""
    lightness, a, b = (float(value) for value in lab)
    chroma = math.hypot(a, b)
    hue = math.degrees(math.atan2(b, a)) % 360.0
    if chroma < ACHROMATIC_CHROMA:
        return "black" if lightness < 20 else "white" if lightness > 85 else "grey"
    warm = hue < 110 or hue >= 345
    if warm and chroma < 30 and (lightness > 88 or lightness < 78):
        return "white" if lightness > 88 else "brown" if lightness > 15 else "black"
    if hue >= 345 or hue < 50:
        return "pink" if lightness >= 65 else "red"
    if hue < 85:
        return "orange" if lightness >= 55 else "brown"
    if hue < 110:
        return "yellow" if lightness >= 60 else "brown"
    if hue < 190:
        return "green"
    if hue < 315:
        return "blue"
    return "pink" if lightness >= 72 else "purple"


def _shrink(rgb: RGB, size: int) -> RGB:
    height, width = rgb.shape[:2]
    scale = size / max(height, width)
    if scale >= 1.0:
        return rgb
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(cv2.resize(rgb, target, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def quality(rgb: RGB) -> dict[str, float]:
    luma = cv2.cvtColor(np.ascontiguousarray(_shrink(rgb, ANALYSIS_SIZE)), cv2.COLOR_RGB2GRAY)
    values = luma.astype(np.float64)
    variance = float(cv2.Laplacian(values, cv2.CV_64F, ksize=1).var()) if min(luma.shape) >= 3 else 0.0
    return {
        "Brightness": 100.0 * float(values.mean()) / 255.0,
        "Sharpness": 100.0 * (1.0 - math.exp(-variance / SHARPNESS_SCALE)),
        "Contrast": 100.0 * min(1.0, float(values.std()) / 128.0),
    }


def dominant_colours(rgb: RGB, count: int = DEFAULT_MAX_COLOURS) -> list[dict[str, Any]]:
    """Up to ``count`` dominant colours, most pixels first, in Rekognition's ``DominantColor`` shape."""
    count = max(0, min(count, MAX_COLOURS))
    if count == 0 or rgb.size == 0:
        return []
    pixels = _shrink(rgb, COLOUR_SAMPLE).reshape(-1, 3)
    lab = _lab(pixels)
    clusters = min(count, len(np.unique(pixels, axis=0)))
    cv2.setRNGSeed(0)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 30, 0.5)
    best = np.zeros((len(lab), 1), dtype=np.int32)
    _, labelled, _ = cv2.kmeans(lab, clusters, best, criteria, 3, cv2.KMEANS_PP_CENTERS)
    assignment = np.asarray(labelled).ravel()
    css = css_palette()
    merged: dict[str, list[int]] = {}
    for cluster in range(clusters):
        members = np.flatnonzero(assignment == cluster)
        if members.size == 0:
            continue
        mean = pixels[members].mean(axis=0).round().astype(np.uint8)
        name = css.nearest(_lab(mean[None]))[0]
        merged.setdefault(name, []).extend(members.tolist())
    colours: list[dict[str, Any]] = []
    for name, indices in merged.items():
        mean = pixels[indices].mean(axis=0).round().astype(np.uint8)
        red, green, blue = (int(channel) for channel in mean)
        colours.append(
            {
                "Red": red,
                "Blue": blue,
                "Green": green,
                "HexCode": f"#{red:02x}{green:02x}{blue:02x}",
                "CSSColor": name,
                "SimplifiedColor": simplified(_lab(mean[None])[0]),
                "PixelPercent": 100.0 * len(indices) / len(pixels),
            }
        )
    colours.sort(key=lambda colour: -colour["PixelPercent"])
    return colours[:count]


def crop(rgb: RGB, box: tuple[float, float, float, float]) -> RGB:
    height, width = rgb.shape[:2]
    left, top = max(0, math.floor(box[0])), max(0, math.floor(box[1]))
    right, bottom = min(width, math.ceil(box[2])), min(height, math.ceil(box[3]))
    return np.ascontiguousarray(rgb[top:bottom, left:right])


def image_properties(rgb: RGB, max_colours: int = DEFAULT_MAX_COLOURS) -> dict[str, Any]:
    return {"Quality": quality(rgb), "DominantColors": dominant_colours(rgb, max_colours)}
