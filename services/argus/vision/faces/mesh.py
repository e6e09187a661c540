"""MediaPipe face mesh: 468 3-D landmarks per detected face, and the Rekognition landmarks taken from them.

The model is ``face_landmark.tflite`` from the ``mediapipe`` wheel (Apache-2.0), extracted by
``argus models fetch``. This module re-implements the parts of MediaPipe's ``face_landmark_front`` graph
that run on one detection:

* ``face_detection_front_detection_to_roi`` (``DetectionsToRectsCalculator`` +
  ``RectTransformationCalculator``): the region of interest is the detection box's centre, rotated so the
  line from the first to the second BlazeFace keypoint (the subject's right eye to their left eye) is
  horizontal, and made square with side ``ROI_SCALE`` (1.5) times the box's longer side
  (``square_long``). No shift.
* ``ImageToTensorCalculator``: that rotated square is warped to 192x192 (bilinear, replicated border)
  and scaled to the ``[0, 1]`` float range. The current ``face_landmark_cpu`` graph asks for ``[0, 1]``
  (older graphs used ``TfLiteConverterCalculator``'s ``[-1, 1]``); on the test photos ``[0, 1]`` agrees
  a little better with dlib's landmarks and is more mirror-symmetric, so it is the one used.
* The model outputs 1404 = 468 x ``(x, y, z)`` in the 192x192 crop's pixels (``z`` is depth relative to
  the face, in the same units as ``x``, smaller = nearer the camera) and one face-presence logit;
  ``TensorsToFloatsCalculator`` applies a sigmoid and the graph treats a face as present at ``>= 0.5``.
* ``LandmarkProjectionCalculator``: the points are rotated and scaled back into the image.

Second pass (``refine=True``, the default). In video MediaPipe crops each next frame from the previous
frame's landmarks instead of the detection (``face_landmark_landmarks_to_roi``: rotation from mesh point
33 to 263, 1.5 times the landmarks' box, square). Doing that once more on the same image makes the result
depend much less on the BlazeFace keypoints, which wobble when the face is rolled: on the astronaut
rolled by 10-40 degrees the points move by at most 1.2 % of the inter-ocular distance from where the
roll puts them, against 3.9 % with one pass, and the fitted pitch by at most 2.4 degrees instead of 6.8.
The landmarks' box is taken in the face's upright frame (MediaPipe takes it in image axes, which makes
the square grow with the roll). It costs a second inference (docs/models.md gives the times).

The 468-point topology is MediaPipe's canonical face mesh. Lower indices lie on the subject's right side,
which appears on the left of the image for a frontal face, e.g. 33/133 are the outer/inner corners of
the image-left eye and 263/362 those of the image-right eye. Rekognition names landmarks from the
viewer's side (``eyeLeft`` has the smaller X), so :data:`REKOGNITION_FROM_MESH` maps the subject's right
side to Rekognition's "left".

Pupils: ``face_landmark.tflite`` has no iris points (the separate iris / attention models add them), so
``leftPupil`` / ``rightPupil`` are the centres of the eye contours, the same points as ``eyeLeft`` /
``eyeRight``; they are off the pupil when the subject looks sideways.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.blazeface import DetectedFace
from argus.vision.faces.landmarks import FaceLandmarks
from argus.vision.faces.pose import TEMPLATE_INDICES_MESH

INPUT_SIZE = 192
NUM_POINTS = 468
ROI_SCALE = 1.5
PRESENCE_THRESHOLD = 0.5
# Mesh points whose line gives the roll of the second-pass crop (outer eye corners, as in MediaPipe).
ROI_ROTATION_POINTS = (33, 263)

# The closed eye contours (upper and lower lid, corners included) of MediaPipe's FACEMESH_RIGHT_EYE /
# FACEMESH_LEFT_EYE; the subject's right eye is on the image's left.
IMAGE_LEFT_EYE = (33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173)
IMAGE_RIGHT_EYE = (263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398)

# Rekognition landmark type -> face-mesh indices averaged to give the point.
REKOGNITION_FROM_MESH: dict[str, tuple[int, ...]] = {
    "eyeLeft": IMAGE_LEFT_EYE,
    "eyeRight": IMAGE_RIGHT_EYE,
    "mouthLeft": (61,),  # outer lip corners
    "mouthRight": (291,),
    "nose": (4,),  # nose tip (4 is nearer dlib's tip than the more anterior 1 on the test photos)
    "leftEyeBrowLeft": (70,),  # ends and top of the upper brow contour
    "leftEyeBrowRight": (107,),
    "leftEyeBrowUp": (105,),
    "rightEyeBrowLeft": (336,),
    "rightEyeBrowRight": (300,),
    "rightEyeBrowUp": (334,),
    "leftEyeLeft": (33,),  # eye corners, and the middle of the upper and lower lids
    "leftEyeRight": (133,),
    "leftEyeUp": (159,),
    "leftEyeDown": (145,),
    "rightEyeLeft": (362,),
    "rightEyeRight": (263,),
    "rightEyeUp": (386,),
    "rightEyeDown": (374,),
    "noseLeft": (98,),  # outer points of the alar wings, beside the nostrils
    "noseRight": (327,),
    "mouthUp": (0,),  # top of the outer upper lip, bottom of the outer lower lip
    "mouthDown": (17,),
    "leftPupil": IMAGE_LEFT_EYE,  # no iris points in this model: the eye contour's centre
    "rightPupil": IMAGE_RIGHT_EYE,
    "upperJawlineLeft": (234,),  # face oval: by the ears at nose height, on the lower jaw, chin
    "midJawlineLeft": (172,),
    "chinBottom": (152,),
    "midJawlineRight": (397,),
    "upperJawlineRight": (454,),
}


@dataclass(frozen=True)
class Roi:
    """The rotated square a face is cropped from: centre and side in pixels, rotation in radians.

    ``angle`` is the direction of the crop's x axis in the image (clockwise on screen, as image y points
    down): the angle of the line from the subject's right eye to their left eye.
    """

    centre_x: float
    centre_y: float
    side: float
    angle: float

    def crop_to_image(self, size: int = INPUT_SIZE) -> NDArray[np.float64]:
        """2x3 affine map from crop coordinates (``0..size``) to image pixel coordinates."""
        scale = self.side / size
        cos, sin = math.cos(self.angle) * scale, math.sin(self.angle) * scale
        linear = np.array([[cos, -sin], [sin, cos]])
        offset = np.array([self.centre_x, self.centre_y]) - linear @ np.array([size / 2.0, size / 2.0])
        return np.hstack([linear, offset[:, None]])


def face_roi(face: DetectedFace, scale: float = ROI_SCALE) -> Roi:
    """MediaPipe's ``face_detection_front_detection_to_roi`` for one BlazeFace detection."""
    left, top, right, bottom = face.box
    right_eye, left_eye = face.keypoints[0], face.keypoints[1]
    return Roi(
        centre_x=(left + right) / 2.0,
        centre_y=(top + bottom) / 2.0,
        side=scale * max(right - left, bottom - top),
        angle=math.atan2(left_eye[1] - right_eye[1], left_eye[0] - right_eye[0]),
    )


def landmarks_roi(points: NDArray[np.float64], scale: float = ROI_SCALE) -> Roi:
    """The crop MediaPipe takes from a face's own mesh points (``(468, 2 or 3)`` image pixels).

    Rotation from point 33 to 263; the square is ``scale`` times the longer side of the points' box in
    that rotated frame, centred on that box.
    """
    start, end = points[ROI_ROTATION_POINTS[0], :2], points[ROI_ROTATION_POINTS[1], :2]
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    cos, sin = math.cos(angle), math.sin(angle)
    to_upright = np.array([[cos, sin], [-sin, cos]])
    upright = points[:, :2] @ to_upright.T
    low, high = upright.min(axis=0), upright.max(axis=0)
    centre = (low + high) / 2.0 @ to_upright  # back into image axes (the inverse is the transpose)
    return Roi(
        centre_x=float(centre[0]),
        centre_y=float(centre[1]),
        side=scale * float(max(high - low)),
        angle=angle,
    )


def crop_face(rgb: NDArray[np.uint8], roi: Roi, size: int = INPUT_SIZE) -> NDArray[np.uint8]:
    """The ``roi`` of ``rgb`` warped upright to ``size`` x ``size`` (bilinear, border replicated).

    Coordinates are continuous (pixel ``i`` covers ``[i, i + 1)``); OpenCV samples pixel centres, hence
    the half-pixel shifts.
    """
    forward = roi.crop_to_image(size)
    linear = forward[:, :2]
    centres = forward[:, 2] + linear @ np.array([0.5, 0.5]) - 0.5
    sample = np.hstack([linear, centres[:, None]])
    return np.asarray(
        cv2.warpAffine(
            rgb,
            sample,
            (size, size),
            flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REPLICATE,
        ),
        dtype=np.uint8,
    )


@dataclass(frozen=True)
class FaceMesh:
    """One face's mesh.

    ``points`` is ``(468, 3)``: image pixels ``(x, y)`` and depth ``z`` in pixel units (relative to the
    face, smaller = nearer the camera). ``presence`` is the model's face-presence probability for the crop
    the points come from, ``roi``. DetectFaces does not use ``presence``; MediaPipe drops a mesh below
    :data:`PRESENCE_THRESHOLD` (:attr:`present`).
    """

    points: NDArray[np.float64]
    presence: float
    roi: Roi

    @property
    def present(self) -> bool:
        return self.presence >= PRESENCE_THRESHOLD


def rekognition_points_from_mesh(points: NDArray[np.float64]) -> dict[str, tuple[float, float]]:
    """All 30 Rekognition landmark types as pixel ``(x, y)`` from ``(468, 2 or 3)`` mesh points."""
    if points.ndim != 2 or points.shape[0] != NUM_POINTS or points.shape[1] < 2:
        raise ValueError(f"expected ({NUM_POINTS}, 2 or 3) mesh points, got {points.shape}")
    named: dict[str, tuple[float, float]] = {}
    for name, indices in REKOGNITION_FROM_MESH.items():
        x, y = points[list(indices), :2].mean(axis=0)
        named[name] = (float(x), float(y))
    return named


class FaceMeshLandmarker:
    """MediaPipe's 468-point face mesh run on BlazeFace detections (thread-safe)."""

    def __init__(self, model_path: Path, num_threads: int | None = None, refine: bool = True) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.model_path = Path(model_path)
        self.refine = refine
        if not self.model_path.is_file():
            raise FileNotFoundError(self.model_path)
        self._interpreter = Interpreter(model_path=str(self.model_path), num_threads=num_threads)
        self._interpreter.allocate_tensors()
        inputs = self._interpreter.get_input_details()
        if len(inputs) != 1 or tuple(inputs[0]["shape"]) != (1, INPUT_SIZE, INPUT_SIZE, 3):
            raise ValueError(f"{self.model_path} is not a 192x192 face landmark model")
        self._input_index = int(inputs[0]["index"])
        by_size = {
            int(np.prod(detail["shape"])): int(detail["index"])
            for detail in self._interpreter.get_output_details()
        }
        if set(by_size) != {NUM_POINTS * 3, 1}:
            raise ValueError(f"{self.model_path} outputs no {NUM_POINTS} 3-D points and presence score")
        self._points_index = by_size[NUM_POINTS * 3]
        self._presence_index = by_size[1]
        self._lock = threading.Lock()

    def _infer(self, tensor: NDArray[np.float32]) -> tuple[NDArray[np.float32], float]:
        with self._lock:
            self._interpreter.set_tensor(self._input_index, tensor[None])
            self._interpreter.invoke()
            points = np.array(self._interpreter.get_tensor(self._points_index)).reshape(NUM_POINTS, 3)
            logit = float(np.asarray(self._interpreter.get_tensor(self._presence_index)).ravel()[0])
        return points, logit

    def _run(self, rgb: NDArray[np.uint8], roi: Roi) -> FaceMesh:
        tensor = crop_face(rgb, roi).astype(np.float32) / np.float32(255.0)
        raw, logit = self._infer(tensor)
        forward = roi.crop_to_image()
        points = np.empty((NUM_POINTS, 3), dtype=np.float64)
        points[:, :2] = raw[:, :2].astype(np.float64) @ forward[:, :2].T + forward[:, 2]
        points[:, 2] = raw[:, 2].astype(np.float64) * (roi.side / INPUT_SIZE)
        presence = 1.0 / (1.0 + math.exp(-min(max(logit, -100.0), 100.0)))
        return FaceMesh(points=points, presence=presence, roi=roi)

    def mesh(self, rgb: NDArray[np.uint8], face: DetectedFace) -> FaceMesh:
        """The 468 mesh points of ``face`` in ``rgb`` (an RGB ``uint8`` image) in image pixels.

        One pass on the detection's crop, then (``refine``) one on the crop its points give.
        """
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")
        found = self._run(rgb, face_roi(face))
        if self.refine:
            found = self._run(rgb, landmarks_roi(found.points))
        return found

    def face_landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> FaceLandmarks:
        """The 30 Rekognition landmarks (:data:`REKOGNITION_FROM_MESH`) and pose points of ``face``."""
        points = self.mesh(rgb, face).points
        return FaceLandmarks(
            points=rekognition_points_from_mesh(points),
            pose_points=np.ascontiguousarray(points[list(TEMPLATE_INDICES_MESH), :2], dtype=np.float64),
        )
