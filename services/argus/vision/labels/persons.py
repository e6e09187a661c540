"""People and their bounding boxes from MediaPipe BlazePose (``pose_detection.tflite`` and
``pose_landmark_full.tflite`` of the ``mediapipe`` wheel, Apache-2.0), decoded in NumPy.

Detection re-implements MediaPipe's ``pose_detection_cpu`` graph:

* the image is letterboxed to 224x224 and scaled to ``[-1, 1]`` (as BlazeFace, see
  :func:`argus.vision.faces.blazeface.letterbox`);
* ``SsdAnchorsCalculator``: five layers with strides 8, 16, 32, 32, 32, ``min_scale`` 0.1484375,
  ``max_scale`` 0.75, aspect ratio 1 plus the interpolated one and fixed anchor size: layers of equal
  stride share a grid, giving 28x28x2 + 14x14x2 + 7x7x6 = 2254 anchors, centres at
  ``(col + 0.5) / grid`` and ``(row + 0.5) / grid``;
* ``TensorsToDetectionsCalculator``: each regressor row is ``[x_c, y_c, w, h, kx0, ky0, ..., kx3, ky3]``
  in input pixels relative to the anchor centre; scores are ``sigmoid(clip(logit, -100, 100))`` kept
  from :data:`MIN_SCORE`;
* weighted non-maximum suppression at IoU 0.3, then letterbox removal.

The detector's box is the face; its four keypoints are the hip centre, a point that sets the radius of
a circle around the whole body, the shoulder centre and a point that sets the upper body's radius. As in
MediaPipe's ``pose_detection_to_roi``, the body region is the square centred on the hip centre with
side ``2 * 1.25 * radius``, rotated so that the body stands upright. The landmark model
(``pose_landmark_full.tflite``, 256x256 in ``[0, 1]``) then places 33 body landmarks in that region;
the person's box is the extent of the landmarks, widened to cover the top of the head and clipped to
the image. A region whose landmark model's presence score is low is dropped (the detector fires on
faces of posters and statues; the landmark model checks for a body).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.boxes import iou
from argus.vision.faces.blazeface import letterbox, weighted_nms

DETECTOR_FILE = "pose_detection.tflite"
LANDMARK_FILE = "pose_landmark_full.tflite"
DETECTOR_SIZE = 224
LANDMARK_SIZE = 256
NUM_KEYPOINTS = 4
NUM_BODY_LANDMARKS = 33
MIN_SCORE = 0.5
MIN_PRESENCE = 0.5
NMS_IOU = 0.3
ROI_SCALE = 1.25
SCORE_CLIP = 100.0
MAX_PEOPLE = 20
TILE_SCALES = (1.0, 0.6)
MIN_TILE = 320
SAME_PERSON_IOU = 0.3  # face boxes of one person found in two windows
SAME_BOX_IOU = 0.5  # body boxes of one person found in two windows
LANDMARK_NOSE, LANDMARK_LEFT_SHOULDER, LANDMARK_RIGHT_SHOULDER = 0, 11, 12

RGB = NDArray[np.uint8]


def ssd_anchors() -> NDArray[np.float64]:
    """The 2254 anchor centres ``(x, y)`` in ``[0, 1]`` in the model's output order."""
    centres: list[NDArray[np.float64]] = []
    for stride, per_cell in ((8, 2), (16, 2), (32, 6)):
        grid = DETECTOR_SIZE // stride
        axis = (np.arange(grid, dtype=np.float64) + 0.5) / grid
        ys, xs = np.meshgrid(axis, axis, indexing="ij")
        cells = np.stack([xs.ravel(), ys.ravel()], axis=1)
        centres.append(np.repeat(cells, per_cell, axis=0))
    return np.concatenate(centres)


@dataclass(frozen=True)
class Person:
    """One person in pixels of the image: ``box`` is ``(left, top, right, bottom)``, clipped to the
    image; ``score`` the detector's confidence (0-1); ``landmarks`` ``(33, 2)`` pixels."""

    box: tuple[float, float, float, float]
    score: float
    presence: float
    landmarks: NDArray[np.float64]


def _sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(values, -SCORE_CLIP, SCORE_CLIP)))
    return result


class PersonDetector:
    """BlazePose detector + landmark model as a multi-person detector (thread-safe)."""

    def __init__(self, folder: Path, num_threads: int | None = None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._detector = Interpreter(model_path=str(folder / DETECTOR_FILE), num_threads=num_threads)
        self._detector.allocate_tensors()
        self._landmarker = Interpreter(model_path=str(folder / LANDMARK_FILE), num_threads=num_threads)
        self._landmarker.allocate_tensors()
        detector_in = self._detector.get_input_details()[0]
        if tuple(detector_in["shape"]) != (1, DETECTOR_SIZE, DETECTOR_SIZE, 3):
            raise ValueError(f"{folder / DETECTOR_FILE} is not a 224x224 BlazePose detector")
        self._detector_input = int(detector_in["index"])
        by_width = {int(d["shape"][-1]): int(d["index"]) for d in self._detector.get_output_details()}
        self._regressors, self._scores = by_width[4 + 2 * NUM_KEYPOINTS], by_width[1]
        landmark_in = self._landmarker.get_input_details()[0]
        if tuple(landmark_in["shape"]) != (1, LANDMARK_SIZE, LANDMARK_SIZE, 3):
            raise ValueError(f"{folder / LANDMARK_FILE} is not a 256x256 BlazePose landmark model")
        self._landmark_input = int(landmark_in["index"])
        outputs = {tuple(d["shape"]): int(d["index"]) for d in self._landmarker.get_output_details()}
        self._landmark_output = outputs[(1, 195)]
        self._presence_output = outputs[(1, 1)]
        self._anchors = ssd_anchors()
        self._lock = threading.Lock()

    def detect(self, rgb: RGB) -> list[Person]:
        """People in an RGB ``uint8`` image, best detector score first."""
        candidates: list[tuple[NDArray[np.float64], NDArray[np.float64], float]] = []
        for left, top, right, bottom in windows(rgb.shape[0], rgb.shape[1]):
            crop = np.ascontiguousarray(rgb[top:bottom, left:right])
            for face, points, score in self._detect_window(crop):
                offset = np.array([left, top], dtype=np.float64)
                candidates.append((face + np.tile(offset, 2), points + offset, score))
        people: list[Person] = []
        faces: list[NDArray[np.float64]] = []
        for face, points, score in sorted(candidates, key=lambda candidate: -candidate[2]):
            if any(iou(face, kept) > SAME_PERSON_IOU for kept in faces):
                continue
            person = self._landmarks(rgb, face, points, score)
            if person is not None and not any(_same_person(person.box, other.box) for other in people):
                people.append(person)
                faces.append(face)
            if len(people) == MAX_PEOPLE:
                break
        return people

    def _detect_window(self, rgb: RGB) -> list[tuple[NDArray[np.float64], NDArray[np.float64], float]]:
        """(face box, 4 keypoints, score) of each detection in pixels of ``rgb``."""
        height, width = rgb.shape[:2]
        tensor, pads = letterbox(rgb, DETECTOR_SIZE)
        with self._lock:
            self._detector.set_tensor(self._detector_input, tensor[None])
            self._detector.invoke()
            raw = np.array(self._detector.get_tensor(self._regressors)[0], dtype=np.float64)
            logits = np.array(self._detector.get_tensor(self._scores)[0, :, 0], dtype=np.float64)
        scores = _sigmoid(logits)
        keep = np.flatnonzero(scores >= MIN_SCORE)
        if keep.size == 0:
            return []
        raw = raw[keep] / DETECTOR_SIZE
        anchors = self._anchors[keep]
        x_c, y_c = raw[:, 0] + anchors[:, 0], raw[:, 1] + anchors[:, 1]
        half_w, half_h = raw[:, 2] / 2.0, raw[:, 3] / 2.0
        boxes = np.stack([x_c - half_w, y_c - half_h, x_c + half_w, y_c + half_h], axis=1)
        keypoints = raw[:, 4:].reshape(-1, NUM_KEYPOINTS, 2) + anchors[:, None, :]
        found = []
        for box, points, score in weighted_nms(boxes, keypoints, scores[keep], NMS_IOU):
            face_box, pixel_points = pads.to_pixels(box, points, width, height)
            found.append((np.array(face_box), pixel_points, score))
        return found

    def _landmarks(
        self, rgb: RGB, face: NDArray[np.float64], keypoints: NDArray[np.float64], score: float
    ) -> Person | None:
        height, width = rgb.shape[:2]
        hip, top = keypoints[0], keypoints[1]
        radius = float(np.hypot(*(top - hip)))
        if radius < 4.0:
            return None
        side = 2.0 * radius * ROI_SCALE
        # Rotation that brings the hip -> top vector to point up (MediaPipe's target angle of 90 deg).
        angle = math.pi / 2 - math.atan2(-(top[1] - hip[1]), top[0] - hip[0])
        cos, sin = math.cos(angle), math.sin(angle)
        half = side / 2.0
        # Corners of the rotated square (top-left, top-right, bottom-left) in image pixels.
        corners = np.array([[-half, -half], [half, -half], [-half, half]])
        rotation = np.array([[cos, -sin], [sin, cos]])
        source = (corners @ rotation.T + hip).astype(np.float32)
        target = np.array([[0, 0], [LANDMARK_SIZE, 0], [0, LANDMARK_SIZE]], dtype=np.float32)
        forward = cv2.getAffineTransform(source, target)
        crop = cv2.warpAffine(
            rgb, forward, (LANDMARK_SIZE, LANDMARK_SIZE), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0)
        )
        tensor = crop.astype(np.float32)[None] / 255.0
        with self._lock:
            self._landmarker.set_tensor(self._landmark_input, tensor)
            self._landmarker.invoke()
            values = np.array(self._landmarker.get_tensor(self._landmark_output)[0], dtype=np.float64)
            presence_raw = float(self._landmarker.get_tensor(self._presence_output)[0, 0])
        presence = presence_raw if 0.0 <= presence_raw <= 1.0 else float(_sigmoid(np.array(presence_raw)))
        if presence < MIN_PRESENCE:
            return None
        points = values.reshape(-1, 5)[:NUM_BODY_LANDMARKS, :2]
        backward = cv2.invertAffineTransform(forward)
        landmarks = points @ backward[:, :2].T + backward[:, 2]
        left, top_y = landmarks.min(axis=0)
        right, bottom = landmarks.max(axis=0)
        shoulders = (landmarks[LANDMARK_LEFT_SHOULDER] + landmarks[LANDMARK_RIGHT_SHOULDER]) / 2.0
        head = float(np.hypot(*(shoulders - landmarks[LANDMARK_NOSE])))
        # Landmarks are joint centres: widen to the body's outline and up to the top of the head.
        top_y = min(top_y, landmarks[LANDMARK_NOSE][1] - 0.8 * head, face[1])
        left, right = min(left, face[0]), max(right, face[2])
        if bottom - top_y < 2.0 * (face[3] - face[1]):  # landmarks collapsed: not a body
            return None
        margin = 0.05 * (bottom - top_y)
        box = (
            max(0.0, left - margin),
            max(0.0, top_y),
            min(float(width), right + margin),
            min(float(height), bottom + margin),
        )
        if box[2] - box[0] < 2.0 or box[3] - box[1] < 2.0:
            return None
        return Person(box=box, score=score, presence=presence, landmarks=landmarks)


def windows(height: int, width: int) -> list[tuple[int, int, int, int]]:
    """``(left, top, right, bottom)`` of the whole image, then of overlapping square tiles.

    The detector finds one dominant person per window best, so smaller people are looked for in
    tiles of :data:`TILE_SCALES` times the image's short side, overlapping by half; tiles smaller
    than :data:`MIN_TILE` pixels are skipped (upsampled tiles only add false detections).
    """
    found = [(0, 0, width, height)]
    for scale in TILE_SCALES:
        side = int(min(height, width) * scale)
        if side < MIN_TILE:
            continue
        step = side // 2
        tops = sorted({*range(0, height - side + 1, step), height - side})
        lefts = sorted({*range(0, width - side + 1, step), width - side})
        found.extend((left, top, left + side, top + side) for top in tops for left in lefts)
    return found


def _same_person(box: tuple[float, ...], kept: tuple[float, ...]) -> bool:
    """Whether ``box`` (found later, with a lower score) is ``kept`` again, or spans it and more
    (the landmarks of a region holding two people spread over both)."""
    a, b = np.array(box), np.array(kept)
    if iou(a, b) > SAME_BOX_IOU:
        return True
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    kept_area = (b[2] - b[0]) * (b[3] - b[1])
    area = (a[2] - a[0]) * (a[3] - a[1])
    return bool(width > 0 and height > 0 and width * height >= 0.8 * kept_area and area >= 1.5 * kept_area)
