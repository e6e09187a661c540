"""Run a dlib shape predictor on a face turned upright, and map its points back into the image.

dlib's predictors expect an upright face framed like dlib's HOG detector frames it. The face is
cropped around its centre, rotated by its roll (from the eye keypoints) so the eyes lie level,
predicted on a square of ``box_scale`` times the face side, and the points are rotated back.
"""

from __future__ import annotations

import threading
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

CROP_SIDES = 2.0  # the rotated crop is this many face sides wide, so the corners stay filled


def upright_shape(
    predictor: Any,
    lock: threading.Lock,
    rgb: NDArray[np.uint8],
    center: tuple[float, float],
    side: float,
    angle: float,
    box_scale: float,
) -> NDArray[np.float64]:
    """``(n, 2)`` pixel points of ``predictor`` for the face at ``center`` rolled by ``angle`` degrees."""
    import dlib

    cx, cy = center
    half = box_scale * side / 2.0
    if angle == 0.0:
        rect = dlib.rectangle(round(cx - half), round(cy - half), round(cx + half), round(cy + half))
        with lock:
            shape = predictor(rgb, rect)
        return np.array([(part.x, part.y) for part in shape.parts()], dtype=np.float64)

    out = max(16, round(side * CROP_SIDES))
    # Rotate about the face centre by `angle` (counter-clockwise on screen) and move it to the crop centre.
    warp = np.asarray(cv2.getRotationMatrix2D((cx, cy), angle, 1.0), dtype=np.float64)
    warp[:, 2] += np.array([out / 2.0 - cx, out / 2.0 - cy])
    crop = cv2.warpAffine(rgb, warp, (out, out), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    rect = dlib.rectangle(
        round(out / 2.0 - half), round(out / 2.0 - half), round(out / 2.0 + half), round(out / 2.0 + half)
    )
    with lock:
        shape = predictor(np.ascontiguousarray(crop), rect)
    points = np.array([(part.x, part.y) for part in shape.parts()], dtype=np.float64)
    back = cv2.invertAffineTransform(warp)
    return np.asarray(points @ back[:, :2].T + back[:, 2], dtype=np.float64)
