"""HEAD_COVER and HAND_COVER: measured colour signals (no trained head- or hand-cover model installs offline).

Both compare a body part's pixels with colours it has when bare:

* Skin: the person's own face skin (cheeks and nose, the middle of the face box) gives a Gaussian in
  YCrCb chroma (Cr, Cb); a pixel is skin-like within :data:`SKIN_MAHALANOBIS` of it (the covariance has
  a floor, :data:`SKIN_CHROMA_FLOOR`, so a very uniform face does not make the model too narrow).
  Without a face sample, the classic fixed range Cr 133-173, Cb 77-127 (Chai & Ngan 1999) is used.
* Hair (head only): dark pixels (HSV value below :data:`HAIR_DARK_VALUE`), or hair hues (0-50 degrees:
  black, brown, auburn, red, blond) of moderate saturation and brightness, or unsaturated greys and
  whites (grey and white hair).

:func:`hand_cover_score` is the fraction of the hand region's person pixels that are not skin-like;
:func:`head_cover_score` is the fraction of the crown's person pixels (the region above the face up to
the top of the person mask) that are neither skin-like nor hair-coloured. So a white or grey hat or
hard hat reads as hair (a miss), an orange or red one of hair-like saturation too; a saturated yellow,
orange, blue, green or red hard hat, a coloured cap or a blue or black-on-pale glove reads as a cover.
The measured accuracy on real bare heads and hands and on synthetic covers is in docs/ppe.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

Box = tuple[float, float, float, float]

SKIN_MAHALANOBIS = 2.5
SKIN_CHROMA_FLOOR = 8.0  # minimum standard deviation of the face's Cr and Cb, in 8-bit units
# Pixels (and faces) whose chroma is within this of neutral grey (Cr = Cb = 128) carry no skin colour:
# grey, black and white are never skin-like, and a face that grey (a black-and-white photo) gives no
# skin model at all (the hand signal then abstains).
NEUTRAL_CHROMA = 6.0
GENERIC_SKIN_CR = (133.0, 173.0)
GENERIC_SKIN_CB = (77.0, 127.0)
HAIR_DARK_VALUE = 0.3
HAIR_HUE_DEGREES = (0.0, 50.0)
HAIR_MAX_SATURATION = 0.75
HAIR_MAX_VALUE = 0.9
GREY_MAX_SATURATION = 0.15
MIN_PIXELS = 20


@dataclass(frozen=True)
class SkinModel:
    """Gaussian of a person's skin chroma (Cr, Cb); ``None`` mean = the generic range."""

    mean: NDArray[np.float64] | None
    inverse_covariance: NDArray[np.float64] | None
    usable: bool = True

    def is_skin(self, rgb_pixels: NDArray[np.uint8]) -> NDArray[np.bool_]:
        """Skin-like mask of ``(N, 3)`` RGB pixels."""
        chroma = _ycrcb(rgb_pixels)[:, 1:].astype(np.float64)
        coloured = np.hypot(chroma[:, 0] - 128.0, chroma[:, 1] - 128.0) >= NEUTRAL_CHROMA
        if self.mean is None or self.inverse_covariance is None:
            cr, cb = chroma[:, 0], chroma[:, 1]
            return np.asarray(
                coloured
                & (cr >= GENERIC_SKIN_CR[0])
                & (cr <= GENERIC_SKIN_CR[1])
                & (cb >= GENERIC_SKIN_CB[0])
                & (cb <= GENERIC_SKIN_CB[1])
            )
        delta = chroma - self.mean
        distance = np.einsum("ni,ij,nj->n", delta, self.inverse_covariance, delta)
        return np.asarray(coloured & (distance <= SKIN_MAHALANOBIS**2))


GENERIC_SKIN = SkinModel(mean=None, inverse_covariance=None)


def _ycrcb(rgb_pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(rgb_pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2YCrCb).reshape(-1, 3))


def _pixels(rgb: NDArray[np.uint8], box: Box) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    """Pixels of ``box`` (clipped to the image) as ``(N, 3)`` RGB and their ``(N, 2)`` centres."""
    height, width = rgb.shape[:2]
    left, top = max(0, round(box[0])), max(0, round(box[1]))
    right, bottom = min(width, round(box[2])), min(height, round(box[3]))
    if right <= left or bottom <= top:
        return np.zeros((0, 3), np.uint8), np.zeros((0, 2), np.float64)
    patch = rgb[top:bottom, left:right].reshape(-1, 3)
    ys, xs = np.mgrid[top:bottom, left:right]
    centres = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1).astype(np.float64)
    return np.ascontiguousarray(patch), centres


def skin_model(rgb: NDArray[np.uint8], face_box: Box | None) -> SkinModel:
    """The skin chroma of the middle of a face box (cheeks and nose), or the generic range."""
    if face_box is None:
        return GENERIC_SKIN
    left, top, right, bottom = face_box
    width, height = right - left, bottom - top
    cheeks = (left + 0.2 * width, top + 0.45 * height, right - 0.2 * width, top + 0.7 * height)
    pixels, _ = _pixels(rgb, cheeks)
    if len(pixels) < MIN_PIXELS:
        return GENERIC_SKIN
    chroma = _ycrcb(pixels)[:, 1:].astype(np.float64)
    # The middle 80 % per channel, so nostrils and teeth do not widen the model.
    low, high = np.percentile(chroma, [10, 90], axis=0)
    kept = chroma[np.all((chroma >= low) & (chroma <= high), axis=1)]
    if len(kept) < MIN_PIXELS:
        kept = chroma
    covariance = np.cov(kept.T) + np.eye(2) * SKIN_CHROMA_FLOOR**2
    mean = kept.mean(axis=0)
    usable = bool(np.hypot(mean[0] - 128.0, mean[1] - 128.0) >= NEUTRAL_CHROMA)
    inverse = np.asarray(np.linalg.inv(covariance), dtype=np.float64)
    return SkinModel(mean=np.asarray(mean, dtype=np.float64), inverse_covariance=inverse, usable=usable)


def is_hair(rgb_pixels: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Hair-coloured mask of ``(N, 3)`` RGB pixels (dark; brown to blond hues; greys and whites)."""
    hsv = cv2.cvtColor(rgb_pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2HSV_FULL).reshape(-1, 3).astype(np.float64)
    hue = hsv[:, 0] * 360.0 / 256.0
    saturation = hsv[:, 1] / 255.0
    value = hsv[:, 2] / 255.0
    dark = value < HAIR_DARK_VALUE
    hair_hue = (
        (hue >= HAIR_HUE_DEGREES[0])
        & (hue <= HAIR_HUE_DEGREES[1])
        & (saturation <= HAIR_MAX_SATURATION)
        & (value <= HAIR_MAX_VALUE)
    )
    grey = saturation <= GREY_MAX_SATURATION
    return np.asarray(dark | hair_hue | grey)


def region_pixels(
    rgb: NDArray[np.uint8], box: Box, person_probability: NDArray[np.float64] | None
) -> NDArray[np.uint8]:
    """The region's pixels that belong to the person (all of them when no mask is given)."""
    pixels, _ = _pixels(rgb, box)
    if person_probability is None or len(pixels) == 0:
        return pixels
    return pixels[person_probability >= 0.5]


def hand_cover_score(pixels: NDArray[np.uint8], skin: SkinModel) -> float | None:
    """Fraction of a hand region's pixels that are not skin-like (None: too few pixels, or no usable
    skin colour: a grey face)."""
    if len(pixels) < MIN_PIXELS or not skin.usable:
        return None
    return float(1.0 - skin.is_skin(pixels).mean())


def head_cover_score(pixels: NDArray[np.uint8], skin: SkinModel) -> float | None:
    """Fraction of a crown region's pixels that are neither skin-like nor hair-coloured."""
    if len(pixels) < MIN_PIXELS:
        return None
    bare = skin.is_skin(pixels) | is_hair(pixels)
    return float(1.0 - bare.mean())


def box_centres(box: Box, rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
    """Pixel centres of ``box`` clipped to the image, in the order :func:`region_pixels` uses."""
    return _pixels(rgb, box)[1]
