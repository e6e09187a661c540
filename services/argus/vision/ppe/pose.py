"""MediaPipe BlazePose: a multi-person detector and 33 body landmarks per person, decoded in NumPy.

Both models come from the ``mediapipe==0.10.21`` wheel (Apache-2.0), extracted by ``argus models fetch``
(:data:`argus.core.models.files.MEDIAPIPE_BODY`). This module re-implements the parts of MediaPipe's
``pose_landmark_cpu`` graph that run on one still image, for every person instead of the first only:

* ``pose_detection_cpu`` (``pose_detection.tflite``): the image is letterboxed to 224x224 in ``[-1, 1]``
  (:func:`argus.vision.faces.blazeface.letterbox`); ``SsdAnchorsCalculator`` with 5 layers of strides
  8, 16, 32, 32, 32 and fixed-size anchors, two per layer and cell (28x28x2 + 14x14x2 + 7x7x6 = 2254);
  ``TensorsToDetectionsCalculator``: 12 values per anchor, ``[x_c, y_c, w, h]`` then four keypoints, in
  input pixels relative to the anchor, scores ``sigmoid(clip(logit, -100, 100))``; weighted NMS at IoU
  0.3; letterbox removal. MediaPipe's graph keeps detections scoring 0.2 and more and then tracks only
  the best; here every detection of at least :data:`MIN_DETECTION_SCORE` is a person candidate.
  The detection's box is the person's *face* box; its keypoints are the mid-hip centre, a point giving
  the full body's size and rotation, the mid-shoulder centre and a point for the upper body.
* ``pose_detection_to_roi``: ``AlignmentPointsRectsCalculator`` (centre at keypoint 0, side twice the
  distance from keypoint 0 to 1, rotated so that the line 0 -> 1 points up) and
  ``RectTransformationCalculator`` (1.25 times, square on the long side).
* ``pose_landmark_by_roi_cpu`` (``pose_landmark_full.tflite``): the rotated square is warped to 256x256
  in ``[0, 1]``; the outputs are 39 x ``(x, y, z, visibility, presence)`` (crop pixels; the last two
  are logits, ``SIGMOID`` activated), a pose-presence score (already a probability; MediaPipe drops the
  pose below 0.5), a 256x256 person-segmentation logit map, a heatmap (not used: the optional heatmap
  refinement moves points by a pixel or two) and world landmarks (not used). The first 33 landmarks
  are the body points of :data:`LANDMARK_NAMES`; they are projected back into the image
  (``LandmarkProjectionCalculator``).

"Left" and "right" are the person's own (``left_wrist`` is the subject's left wrist, on the image's right
for a person facing the camera).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.blazeface import letterbox, weighted_nms
from argus.vision.faces.mesh import Roi, crop_face

DETECTOR_FILE = "pose_detection.tflite"
LANDMARK_FILE = "pose_landmark_full.tflite"

DETECTOR_INPUT = 224
DETECTOR_STRIDES = (8, 16, 32, 32, 32)
DETECTOR_NUM_BOXES = 2254
DETECTOR_COORDS = 12
LANDMARK_INPUT = 256
NUM_LANDMARKS = 33
NUM_RAW_LANDMARKS = 39  # 33 body points and 6 auxiliary ones (for tracking in video)
SCORE_CLIP = 100.0
NMS_IOU = 0.3
ROI_SCALE = 1.25
MIN_DETECTION_SCORE = 0.5
PRESENCE_THRESHOLD = 0.5
SEGMENTATION_THRESHOLD = 0.5

LANDMARK_NAMES = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
LANDMARK_INDEX = {name: index for index, name in enumerate(LANDMARK_NAMES)}

Box = tuple[float, float, float, float]


def _sigmoid(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(values, -SCORE_CLIP, SCORE_CLIP))), dtype=np.float64)


def ssd_anchor_centres(input_size: int, strides: tuple[int, ...]) -> NDArray[np.float64]:
    """MediaPipe's ``SsdAnchorsCalculator`` for fixed-size anchors with aspect ratio 1.0.

    Each layer puts two anchors per cell (the aspect-ratio-1 anchor and the interpolated-scale one);
    consecutive layers of the same stride share one grid, so a cell there holds two anchors per layer.
    Returns ``(N, 2)`` ``(x, y)`` centres in ``[0, 1]``, in the model's output order.
    """
    centres: list[NDArray[np.float64]] = []
    layer = 0
    while layer < len(strides):
        stride = strides[layer]
        same = 0
        while layer < len(strides) and strides[layer] == stride:
            same += 1
            layer += 1
        grid = math.ceil(input_size / stride)
        cells = (np.arange(grid, dtype=np.float64) + 0.5) / grid
        ys, xs = np.meshgrid(cells, cells, indexing="ij")
        xy = np.stack([xs.ravel(), ys.ravel()], axis=1)
        centres.append(np.repeat(xy, 2 * same, axis=0))
    return np.concatenate(centres, axis=0)


@dataclass(frozen=True)
class PersonDetection:
    """One BlazePose detection in image pixels.

    ``face_box`` is ``(left, top, right, bottom)``; ``keypoints`` is ``(4, 2)``: mid-hip centre, full-body
    size/rotation point, mid-shoulder centre, upper-body size/rotation point.
    """

    face_box: Box
    score: float
    keypoints: NDArray[np.float64]


def detection_roi(detection: PersonDetection, scale: float = ROI_SCALE) -> Roi:
    """``pose_detection_to_roi``: the rotated square the landmark model is run on."""
    centre, end = detection.keypoints[0], detection.keypoints[1]
    dx, dy = float(end[0] - centre[0]), float(end[1] - centre[1])
    side = 2.0 * math.hypot(dx, dy) * scale
    angle = math.pi / 2.0 - math.atan2(-dy, dx)
    angle = (angle + math.pi) % (2.0 * math.pi) - math.pi
    return Roi(centre_x=float(centre[0]), centre_y=float(centre[1]), side=side, angle=angle)


@dataclass(frozen=True)
class PersonPose:
    """One person's 33 body landmarks and person mask.

    ``points`` is ``(33, 2)`` image pixels in :data:`LANDMARK_NAMES` order; ``visibility`` and ``presence``
    are ``(33,)`` probabilities (the point is visible / lies inside the crop). ``segmentation`` is the
    ``256 x 256`` person probability map of the crop ``roi``. ``score`` is the model's pose presence.
    """

    detection: PersonDetection
    roi: Roi
    points: NDArray[np.float64]
    visibility: NDArray[np.float64]
    presence: NDArray[np.float64]
    segmentation: NDArray[np.float32]
    score: float

    def point(self, name: str) -> tuple[float, float]:
        x, y = self.points[LANDMARK_INDEX[name]]
        return float(x), float(y)

    def visible(self, name: str) -> float:
        return float(self.visibility[LANDMARK_INDEX[name]])

    def mask_at(self, xy: NDArray[np.float64]) -> NDArray[np.float64]:
        """Person probability at image pixels ``(N, 2)`` (0 outside the crop)."""
        forward = self.roi.crop_to_image(LANDMARK_INPUT)
        inverse = cv2.invertAffineTransform(forward)
        crop = xy @ inverse[:, :2].T + inverse[:, 2]
        cols = np.floor(crop[:, 0]).astype(np.int64)
        rows = np.floor(crop[:, 1]).astype(np.int64)
        inside = (cols >= 0) & (cols < LANDMARK_INPUT) & (rows >= 0) & (rows < LANDMARK_INPUT)
        values = np.zeros(len(xy), dtype=np.float64)
        values[inside] = self.segmentation[rows[inside], cols[inside]]
        return values

    def mask_box(self, width: int, height: int) -> Box | None:
        """Box of the person mask (``>= 0.5``) in image pixels, clipped to the image; None if empty."""
        rows, cols = np.nonzero(self.segmentation >= SEGMENTATION_THRESHOLD)
        forward = self.roi.crop_to_image(LANDMARK_INPUT)
        centres = np.stack([cols + 0.5, rows + 0.5], axis=1).astype(np.float64) @ forward[:, :2].T
        centres += forward[:, 2]
        # Only crop pixels inside the image: outside it the crop repeats the border, and the model
        # calls much of that stretched border "person".
        inside = (
            (centres[:, 0] >= 0) & (centres[:, 0] < width) & (centres[:, 1] >= 0) & (centres[:, 1] < height)
        )
        rows, cols = rows[inside], cols[inside]
        if rows.size == 0:
            return None
        # The four corners of every masked crop pixel, so the box covers whole pixels.
        corners = np.concatenate(
            [np.stack([cols + dx, rows + dy], axis=1) for dx in (0.0, 1.0) for dy in (0.0, 1.0)]
        ).astype(np.float64)
        xy = corners @ forward[:, :2].T + forward[:, 2]
        left = float(np.clip(xy[:, 0].min(), 0.0, width))
        top = float(np.clip(xy[:, 1].min(), 0.0, height))
        right = float(np.clip(xy[:, 0].max(), 0.0, width))
        bottom = float(np.clip(xy[:, 1].max(), 0.0, height))
        if right <= left or bottom <= top:
            return None
        return (left, top, right, bottom)


class _Tflite:
    """A TFLite interpreter behind a lock (interpreters are not thread-safe)."""

    def __init__(self, model_path: Path, input_size: int, num_threads: int | None) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise FileNotFoundError(self.model_path)
        self.interpreter = Interpreter(model_path=str(self.model_path), num_threads=num_threads)
        self.interpreter.allocate_tensors()
        inputs = self.interpreter.get_input_details()
        if len(inputs) != 1 or tuple(inputs[0]["shape"]) != (1, input_size, input_size, 3):
            raise ValueError(f"{self.model_path} does not take one {input_size}x{input_size} RGB input")
        self.input_index = int(inputs[0]["index"])
        self.outputs = {
            tuple(int(n) for n in detail["shape"][1:]): int(detail["index"])  # without the batch axis
            for detail in self.interpreter.get_output_details()
        }
        self.lock = threading.Lock()

    def output_index(self, shape: tuple[int, ...]) -> int:
        if shape not in self.outputs:
            raise ValueError(f"{self.model_path} has no output of shape {shape}")
        return self.outputs[shape]

    def run(
        self, tensor: NDArray[np.float32], shapes: tuple[tuple[int, ...], ...]
    ) -> list[NDArray[np.float32]]:
        indices = [self.output_index(shape) for shape in shapes]
        with self.lock:
            self.interpreter.set_tensor(self.input_index, tensor[None])
            self.interpreter.invoke()
            return [np.array(self.interpreter.get_tensor(index)[0], dtype=np.float32) for index in indices]


class PoseDetector:
    """Person detection (BlazePose detector) and body landmarks per person (thread-safe)."""

    def __init__(
        self,
        detector_path: Path,
        landmark_path: Path,
        min_score: float = MIN_DETECTION_SCORE,
        num_threads: int | None = None,
    ) -> None:
        if not 0.0 <= min_score <= 1.0:
            raise ValueError(f"min_score must be within [0, 1], got {min_score}")
        self.min_score = min_score
        self._detector = _Tflite(detector_path, DETECTOR_INPUT, num_threads)
        self._landmarker = _Tflite(landmark_path, LANDMARK_INPUT, num_threads)
        self._anchors = ssd_anchor_centres(DETECTOR_INPUT, DETECTOR_STRIDES)
        if len(self._anchors) != DETECTOR_NUM_BOXES:
            raise AssertionError(f"{len(self._anchors)} anchors, expected {DETECTOR_NUM_BOXES}")
        self._detector.output_index((DETECTOR_NUM_BOXES, DETECTOR_COORDS))
        self._landmarker.output_index((NUM_RAW_LANDMARKS * 5,))

    @classmethod
    def from_dir(cls, folder: Path, min_score: float = MIN_DETECTION_SCORE) -> PoseDetector:
        return cls(Path(folder) / DETECTOR_FILE, Path(folder) / LANDMARK_FILE, min_score=min_score)

    def detect(self, rgb: NDArray[np.uint8]) -> list[PersonDetection]:
        """Person detections in an RGB ``uint8`` image, best score first."""
        _check_rgb(rgb)
        height, width = rgb.shape[:2]
        tensor, pads = letterbox(rgb, DETECTOR_INPUT)
        regressors, logits = self._detector.run(
            tensor, ((DETECTOR_NUM_BOXES, DETECTOR_COORDS), (DETECTOR_NUM_BOXES, 1))
        )
        scores = _sigmoid(logits[:, 0].astype(np.float64))
        keep = np.flatnonzero(scores >= self.min_score)
        if keep.size == 0:
            return []
        raw = regressors[keep].astype(np.float64) / DETECTOR_INPUT
        anchors = self._anchors[keep]
        x_c = raw[:, 0] + anchors[:, 0]
        y_c = raw[:, 1] + anchors[:, 1]
        half_w, half_h = raw[:, 2] / 2.0, raw[:, 3] / 2.0
        boxes = np.stack([x_c - half_w, y_c - half_h, x_c + half_w, y_c + half_h], axis=1)
        keypoints = raw[:, 4:12].reshape(-1, 4, 2) + anchors[:, None, :]

        found: list[PersonDetection] = []
        for box, points, score in weighted_nms(boxes, keypoints, scores[keep], NMS_IOU):
            face_box, pixel_points = pads.to_pixels(box, points, width, height)
            if face_box[2] <= face_box[0] or face_box[3] <= face_box[1]:
                continue
            found.append(PersonDetection(face_box=face_box, score=score, keypoints=pixel_points))
        return found

    def landmarks(self, rgb: NDArray[np.uint8], detection: PersonDetection) -> PersonPose:
        """The 33 body landmarks and person mask of one detection."""
        _check_rgb(rgb)
        roi = detection_roi(detection)
        tensor = crop_face(rgb, roi, LANDMARK_INPUT).astype(np.float32) / np.float32(255.0)
        raw, flag, segmentation = self._landmarker.run(
            tensor, ((NUM_RAW_LANDMARKS * 5,), (1,), (LANDMARK_INPUT, LANDMARK_INPUT, 1))
        )
        values = raw.astype(np.float64).reshape(NUM_RAW_LANDMARKS, 5)[:NUM_LANDMARKS]
        forward = roi.crop_to_image(LANDMARK_INPUT)
        points = values[:, :2] @ forward[:, :2].T + forward[:, 2]
        return PersonPose(
            detection=detection,
            roi=roi,
            points=points,
            visibility=_sigmoid(values[:, 3]),
            presence=_sigmoid(values[:, 4]),
            segmentation=_sigmoid(segmentation[:, :, 0].astype(np.float64)).astype(np.float32),
            score=float(flag[0]),
        )

    def poses(self, rgb: NDArray[np.uint8]) -> list[PersonPose]:
        """Every detected person whose landmark model confirms a pose (presence >= 0.5)."""
        poses = [self.landmarks(rgb, detection) for detection in self.detect(rgb)]
        return [pose for pose in poses if pose.score >= PRESENCE_THRESHOLD]


def _check_rgb(rgb: NDArray[np.uint8]) -> None:
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")


def crop_detections(detector: PoseDetector, rgb: NDArray[np.uint8], window: Box) -> list[PersonDetection]:
    """Person detections in the ``window`` (pixels, clipped to the image) mapped back to ``rgb``."""
    height, width = rgb.shape[:2]
    left, top = max(0, math.floor(window[0])), max(0, math.floor(window[1]))
    right, bottom = min(width, math.ceil(window[2])), min(height, math.ceil(window[3]))
    if right - left < 8 or bottom - top < 8:
        return []
    crop = np.ascontiguousarray(rgb[top:bottom, left:right])
    offset = np.array([left, top], dtype=np.float64)
    return [
        PersonDetection(
            face_box=(d.face_box[0] + left, d.face_box[1] + top, d.face_box[2] + left, d.face_box[3] + top),
            score=d.score,
            keypoints=d.keypoints + offset,
        )
        for d in detector.detect(crop)
    ]
