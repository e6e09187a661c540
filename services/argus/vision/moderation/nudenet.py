"""NudeNet 3.4.2's body-part detector (``320n.onnx``), run with ONNX Runtime and decoded in NumPy.

Weights
    ``320n.onnx`` of the ``nudenet==3.4.2`` wheel, extracted by ``argus models fetch``
    (:data:`argus.core.models.files.NUDENET`): an Ultralytics YOLOv8n detector trained at 320 x 320 on
    18 classes (:data:`CLASSES`, in the order of the graph's own ``names`` metadata).

Pre- and post-processing (as the package's ``nudenet/nudenet.py``)
    The image is padded with black on the right or bottom to a square, resized to 320 x 320 (bilinear)
    and scaled to [0, 1], NCHW float32. The output ``(1, 22, 2100)`` holds, per candidate, the box
    ``(cx, cy, w, h)`` in input pixels and 18 class scores; a candidate keeps its best class when that
    score is at least 0.2; boxes are mapped back to the image and clipped; OpenCV's ``NMSBoxes`` with score
    threshold 0.25 and IoU 0.45, across classes, keeps the final detections.

    Two deliberate differences: the network is fed **RGB**, the channel order Ultralytics trains with,
    while nudenet 3.4.2 feeds BGR (its ``cv2.COLOR_RGBA2BGR`` on an already-BGR image followed by
    ``swapRB=True`` swaps twice; upstream issue notAI-tech/NudeNet#203);
    and the padded square is never built: one affine warp samples the same grid as resizing it (pixel
    values agree within 4 of 255 on the test photos, the warp's coordinates being quantised to 1/32 px).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.moderation.runtime import onnx_session

INPUT_SIZE = 320
CANDIDATE_SCORE = 0.2
NMS_SCORE = 0.25
NMS_IOU = 0.45
CLASSES = (
    "FEMALE_GENITALIA_COVERED",
    "FACE_FEMALE",
    "BUTTOCKS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "MALE_BREAST_EXPOSED",
    "ANUS_EXPOSED",
    "FEET_EXPOSED",
    "BELLY_COVERED",
    "FEET_COVERED",
    "ARMPITS_COVERED",
    "ARMPITS_EXPOSED",
    "FACE_MALE",
    "BELLY_EXPOSED",
    "MALE_GENITALIA_EXPOSED",
    "ANUS_COVERED",
    "FEMALE_BREAST_COVERED",
    "BUTTOCKS_COVERED",
)


@dataclass(frozen=True)
class Detection:
    """One detected body part: its NudeNet class, score (0-1) and pixel box ``(left, top, width, height)``."""

    detector_class: str
    score: float
    box: tuple[float, float, float, float]


def preprocess(rgb: NDArray[np.uint8]) -> tuple[NDArray[np.float32], float]:
    """The network input ``(1, 3, 320, 320)`` and the side (pixels) of the padded square it shows.

    Samples exactly the grid ``cv2.resize(padded_square, (320, 320), INTER_LINEAR)`` samples (pixel
    ``u`` reads source ``(u + 0.5) * side / 320 - 0.5``), with one affine warp instead of building the
    full-resolution square: outside the image on the padded sides reads black, like the padding.
    """
    image = np.ascontiguousarray(rgb[..., :3])
    height, width = image.shape[:2]
    side = max(height, width)
    factor = side / INPUT_SIZE
    matrix = np.array([[factor, 0.0, 0.5 * factor - 0.5], [0.0, factor, 0.5 * factor - 0.5]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    if factor >= 1.0:
        # Shrinking: no sample falls left of, above, or past the long side of the image.
        square = cv2.warpAffine(
            image, matrix, (INPUT_SIZE, INPUT_SIZE), flags=flags, borderMode=cv2.BORDER_CONSTANT
        )
    else:
        # Enlarging a small image: edges are clamped like cv2.resize, the padded side reads black.
        padded = cv2.copyMakeBorder(
            image, 0, int(height < side), 0, int(width < side), cv2.BORDER_CONSTANT, value=(0, 0, 0)
        )
        square = cv2.warpAffine(
            padded, matrix, (INPUT_SIZE, INPUT_SIZE), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
    tensor = square.astype(np.float32).transpose(2, 0, 1)[None] / np.float32(255.0)
    return np.ascontiguousarray(tensor), float(side)


def postprocess(output: NDArray[np.float32], side: float, width: int, height: int) -> list[Detection]:
    """Detections from the raw ``(1, 22, N)`` output, in pixels of a ``width`` x ``height`` image."""
    rows = np.asarray(output, dtype=np.float32)[0].T  # (N, 4 + classes)
    scores = rows[:, 4:]
    best = scores.argmax(axis=1)
    best_score = scores[np.arange(len(rows)), best]
    keep = best_score >= CANDIDATE_SCORE
    rows, best, best_score = rows[keep], best[keep], best_score[keep]
    if len(rows) == 0:
        return []
    factor = side / INPUT_SIZE
    cx, cy, w, h = (rows[:, i].astype(np.float64) for i in range(4))
    x = np.clip((cx - w / 2) * factor, 0, width)
    y = np.clip((cy - h / 2) * factor, 0, height)
    w = np.minimum(w * factor, width - x)
    h = np.minimum(h * factor, height - y)
    boxes = np.stack([x, y, w, h], axis=1)
    kept = cv2.dnn.NMSBoxes(boxes.tolist(), best_score.astype(float).tolist(), NMS_SCORE, NMS_IOU)
    return [
        Detection(
            detector_class=CLASSES[int(best[i])],
            score=float(best_score[i]),
            box=(float(x[i]), float(y[i]), float(w[i]), float(h[i])),
        )
        for i in np.asarray(kept, dtype=np.int64).reshape(-1)
    ]


class NudeNetDetector:
    """The ONNX graph and its decoding; thread-safe (ONNX Runtime sessions are)."""

    def __init__(self, path: Path, device: str = "cpu") -> None:
        self._session = onnx_session(path, device)
        self._input = self._session.get_inputs()[0].name

    def detect(self, rgb: NDArray[np.uint8]) -> list[Detection]:
        tensor, side = preprocess(rgb)
        output = self._session.run(None, {self._input: tensor})[0]
        return postprocess(np.asarray(output), side, int(rgb.shape[1]), int(rgb.shape[0]))


def best_scores(detections: list[Detection]) -> dict[str, float]:
    """The best score of each class among the detections."""
    scores: dict[str, float] = {}
    for detection in detections:
        scores[detection.detector_class] = max(scores.get(detection.detector_class, 0.0), detection.score)
    return scores
