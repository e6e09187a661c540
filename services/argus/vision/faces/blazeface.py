"""MediaPipe BlazeFace full-range face detector, decoded in NumPy.

The model is ``face_detection_full_range_sparse.tflite`` from the ``mediapipe`` wheel (Apache-2.0).
This module re-implements the post-processing of MediaPipe's ``face_detection_full_range`` graph:

* ``ImageToTensorCalculator``: the image is letterboxed (aspect ratio kept, zero padding split evenly on
  both sides) to 192x192 and scaled to the ``[-1, 1]`` float range.
* ``SsdAnchorsCalculator``: one layer with stride 4, i.e. a 48x48 grid with one anchor per cell, anchor
  centres at ``(col + 0.5) / 48, (row + 0.5) / 48`` and a fixed anchor size of 1.0.
* ``TensorsToDetectionsCalculator``: each of the 2304 regressor rows is ``[x_c, y_c, w, h, kx0, ky0, ...,
  kx5, ky5]`` in input pixels relative to the anchor; decoded as ``x_c / 192 + anchor_x``, ``w / 192`` and
  ``kx / 192 + anchor_x``. Scores are ``sigmoid(clip(logit, -100, 100))`` kept when ``>= min_score``.
* ``NonMaxSuppressionCalculator`` (``WEIGHTED``, IoU threshold 0.3): the best remaining detection and all
  detections overlapping it by more than the threshold are merged into one whose box and keypoints are
  the score-weighted mean of the group and whose score is the best score of the group.
* ``DetectionLetterboxRemovalCalculator``: normalised coordinates are mapped back to the original image.

The six keypoints are, in order, the subject's right eye, left eye, nose tip, mouth centre, right ear
tragion and left ear tragion (the subject's right eye is on the image's left for a frontal face).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

INPUT_SIZE = 192
GRID_SIZE = 48  # INPUT_SIZE / stride 4
NUM_KEYPOINTS = 6
KEYPOINT_NAMES = (
    "right_eye",
    "left_eye",
    "nose_tip",
    "mouth_center",
    "right_ear_tragion",
    "left_ear_tragion",
)
SCORE_CLIP = 100.0
NMS_IOU = 0.3


@dataclass(frozen=True)
class DetectedFace:
    """One face in pixel coordinates of the input image.

    ``box`` is ``(left, top, right, bottom)``; it may extend past the image border for faces cut off by
    the edge. ``keypoints`` is a ``(6, 2)`` array of ``(x, y)`` pixels in :data:`KEYPOINT_NAMES` order.
    """

    box: tuple[float, float, float, float]
    score: float
    keypoints: NDArray[np.float64]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def ssd_anchors() -> NDArray[np.float64]:
    """Anchor centres ``(2304, 2)`` as ``(x, y)`` in ``[0, 1]``, row-major over the 48x48 grid."""
    centres = (np.arange(GRID_SIZE, dtype=np.float64) + 0.5) / GRID_SIZE
    ys, xs = np.meshgrid(centres, centres, indexing="ij")
    return np.stack([xs.ravel(), ys.ravel()], axis=1)


@dataclass(frozen=True)
class Letterbox:
    """Padding added around the resized image, as fractions of the 192x192 input."""

    pad_left: float
    pad_top: float
    pad_right: float
    pad_bottom: float

    def remove(
        self, x: NDArray[np.float64], y: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Map normalised input coordinates back to normalised original-image coordinates."""
        x_out = (x - self.pad_left) / (1.0 - self.pad_left - self.pad_right)
        y_out = (y - self.pad_top) / (1.0 - self.pad_top - self.pad_bottom)
        return x_out, y_out

    def to_pixels(
        self, box: NDArray[np.float64], points: NDArray[np.float64], width: int, height: int
    ) -> tuple[tuple[float, float, float, float], NDArray[np.float64]]:
        """A decoded SSD box (x0, y0, x1, y1) and its keypoints (k, 2), normalised in the letterboxed
        input, as a pixel box ``(left, top, right, bottom)`` and pixel keypoints of the original image."""
        x0, y0 = self.remove(box[0:1], box[1:2])
        x1, y1 = self.remove(box[2:3], box[3:4])
        px, py = self.remove(points[:, 0], points[:, 1])
        pixel_box = (float(x0[0] * width), float(y0[0] * height), float(x1[0] * width), float(y1[0] * height))
        return pixel_box, np.stack([px * width, py * height], axis=1)


def letterbox(rgb: NDArray[np.uint8], size: int = INPUT_SIZE) -> tuple[NDArray[np.float32], Letterbox]:
    """Resize keeping the aspect ratio, pad evenly to ``size x size`` and scale to ``[-1, 1]``.

    The padding is black (``-1`` in the tensor), as MediaPipe's ``BORDER_ZERO`` warp of the ``uint8``
    image gives. Downscaling uses area interpolation (anti-aliased); MediaPipe's bilinear warp aliases
    on large photos.
    """
    height, width = rgb.shape[:2]
    scale = min(size / width, size / height)
    new_w = max(1, min(size, round(width * scale)))
    new_h = max(1, min(size, round(height * scale)))
    interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=interpolation)
    left = (size - new_w) // 2
    top = (size - new_h) // 2
    tensor = np.full((size, size, 3), -1.0, dtype=np.float32)
    tensor[top : top + new_h, left : left + new_w] = resized.astype(np.float32) / 127.5 - 1.0
    pads = Letterbox(
        pad_left=left / size,
        pad_top=top / size,
        pad_right=(size - new_w - left) / size,
        pad_bottom=(size - new_h - top) / size,
    )
    return tensor, pads


def _iou(box: NDArray[np.float64], boxes: NDArray[np.float64]) -> NDArray[np.float64]:
    """IoU of one ``(xmin, ymin, xmax, ymax)`` box with many."""
    ix0 = np.maximum(box[0], boxes[:, 0])
    iy0 = np.maximum(box[1], boxes[:, 1])
    ix1 = np.minimum(box[2], boxes[:, 2])
    iy1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(ix1 - ix0, 0.0, None) * np.clip(iy1 - iy0, 0.0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    union = area + areas - inter
    return np.where(union > 0.0, inter / np.where(union > 0.0, union, 1.0), 0.0)


def weighted_nms(
    boxes: NDArray[np.float64],
    keypoints: NDArray[np.float64],
    scores: NDArray[np.float64],
    iou_threshold: float = NMS_IOU,
) -> list[tuple[NDArray[np.float64], NDArray[np.float64], float]]:
    """MediaPipe's weighted (blending) non-maximum suppression.

    ``boxes`` is ``(N, 4)`` ``(xmin, ymin, xmax, ymax)``, ``keypoints`` ``(N, K, 2)``, ``scores`` ``(N,)``.
    Returns ``(box, keypoints, score)`` per merged detection, best score first.
    """
    order = np.argsort(-scores, kind="stable")
    remaining = order
    merged: list[tuple[NDArray[np.float64], NDArray[np.float64], float]] = []
    while remaining.size:
        top = remaining[0]
        overlap = _iou(boxes[top], boxes[remaining])
        group = remaining[overlap > iou_threshold]
        if group.size == 0:  # degenerate (zero-area) box: keep it on its own
            group = remaining[:1]
        weights = scores[group]
        total = float(weights.sum())
        box = (boxes[group] * weights[:, None]).sum(axis=0) / total
        kps = (keypoints[group] * weights[:, None, None]).sum(axis=0) / total
        merged.append((box, kps, float(scores[top])))
        remaining = remaining[~np.isin(remaining, group)]
    return merged


class BlazeFaceDetector:
    """Face detector backed by MediaPipe's BlazeFace full-range model (thread-safe)."""

    def __init__(self, model_path: Path, min_score: float = 0.5, num_threads: int | None = None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        if not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must be within [0, 1], got {min_score}")
        self.model_path = Path(model_path)
        self.min_score = min_score
        self._interpreter = Interpreter(model_path=str(self.model_path), num_threads=num_threads)
        self._interpreter.allocate_tensors()
        inputs = self._interpreter.get_input_details()
        if len(inputs) != 1 or tuple(inputs[0]["shape"]) != (1, INPUT_SIZE, INPUT_SIZE, 3):
            raise ValueError(f"{self.model_path} is not a 192x192 BlazeFace model")
        self._input_index = int(inputs[0]["index"])
        outputs = {detail["name"]: detail for detail in self._interpreter.get_output_details()}
        by_width = {int(detail["shape"][-1]): int(detail["index"]) for detail in outputs.values()}
        if set(by_width) != {16, 1}:
            raise ValueError(f"{self.model_path} does not have [.., 16] regressor and [.., 1] score outputs")
        self._regressors_index = by_width[16]
        self._scores_index = by_width[1]
        self._anchors = ssd_anchors()
        self._lock = threading.Lock()

    def _infer(self, tensor: NDArray[np.float32]) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        with self._lock:
            self._interpreter.set_tensor(self._input_index, tensor[None])
            self._interpreter.invoke()
            regressors = np.array(self._interpreter.get_tensor(self._regressors_index)[0])
            logits = np.array(self._interpreter.get_tensor(self._scores_index)[0, :, 0])
        return regressors, logits

    def detect(self, rgb: NDArray[np.uint8]) -> list[DetectedFace]:
        """Faces in an RGB ``uint8`` image ``(H, W, 3)``, best score first."""
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")
        height, width = rgb.shape[:2]
        tensor, pads = letterbox(rgb)
        regressors, logits = self._infer(tensor)

        scores = 1.0 / (1.0 + np.exp(-np.clip(logits.astype(np.float64), -SCORE_CLIP, SCORE_CLIP)))
        keep = np.flatnonzero(scores >= self.min_score)
        if keep.size == 0:
            return []
        raw = regressors[keep].astype(np.float64) / INPUT_SIZE
        anchors = self._anchors[keep]
        x_c = raw[:, 0] + anchors[:, 0]
        y_c = raw[:, 1] + anchors[:, 1]
        half_w = raw[:, 2] / 2.0
        half_h = raw[:, 3] / 2.0
        boxes = np.stack([x_c - half_w, y_c - half_h, x_c + half_w, y_c + half_h], axis=1)
        kps = raw[:, 4 : 4 + 2 * NUM_KEYPOINTS].reshape(-1, NUM_KEYPOINTS, 2) + anchors[:, None, :]

        faces: list[DetectedFace] = []
        for box, points, score in weighted_nms(boxes, kps, scores[keep]):
            pixel_box, keypoints = pads.to_pixels(box, points, width, height)
            if pixel_box[2] <= pixel_box[0] or pixel_box[3] <= pixel_box[1]:
                continue
            faces.append(DetectedFace(box=pixel_box, score=score, keypoints=keypoints))
        return faces
