"""DetectFaces: RGB image -> Rekognition ``FaceDetail`` dicts.

Pipeline per image: BlazeFace full-range detection (:mod:`.blazeface`), dlib 68-point landmarks on each
detection (:mod:`.landmarks`), head pose by ``solvePnP`` (:mod:`.pose`) and brightness/sharpness of the
face box (:mod:`.quality`). Only values that are actually computed are returned; with ``ALL`` the
response gains the 30 landmark types, nothing invented (no age, emotions, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import ModelFileMissing, dlib_model
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.faces.landmarks import (
    ALL_LANDMARK_TYPES,
    DEFAULT_LANDMARK_TYPES,
    DlibLandmarker,
    Landmarker,
    rekognition_points,
)
from argus.vision.faces.pose import estimate_pose
from argus.vision.faces.quality import measure_quality

DETECTOR_FILE = "face_detection_full_range_sparse.tflite"
LANDMARKS_FILE = "shape_predictor_68_face_landmarks.dat"
MAX_FACES = 100

# BlazeFace boxes are square and stop just above the chin (dlib's chin point lies a median 3.7%, at most
# 10.3%, of the box height below it on the test photos); Rekognition's face boxes include the chin, so the
# box is extended downwards by this fraction of its height.
CHIN_EXTENSION = 0.1

# Bounding boxes may reach past the image like Rekognition's do for faces cut by the border, but each
# edge is clamped to [-BOX_OVERHANG, 1 + BOX_OVERHANG] of the image size.
BOX_OVERHANG = 0.25


def _clamp(value: float, low: float, high: float) -> float:
    return float(min(max(value, low), high))


def face_box(face: DetectedFace) -> tuple[float, float, float, float]:
    """The detection's pixel box ``(left, top, right, bottom)`` extended to include the chin."""
    left, top, right, bottom = face.box
    return (left, top, right, bottom + CHIN_EXTENSION * (bottom - top))


def bounding_box(box: tuple[float, float, float, float], width: int, height: int) -> dict[str, float]:
    """Rekognition ``BoundingBox`` (ratios of the image) of a pixel box ``(left, top, right, bottom)``."""
    low, high = -BOX_OVERHANG, 1.0 + BOX_OVERHANG
    left = _clamp(box[0] / width, low, high)
    top = _clamp(box[1] / height, low, high)
    right = _clamp(box[2] / width, low, high)
    bottom = _clamp(box[3] / height, low, high)
    return {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top}


class FaceAnalyzer:
    """Detect faces and describe them as Rekognition ``FaceDetail`` dicts (thread-safe)."""

    def __init__(self, detector: BlazeFaceDetector, landmarker: Landmarker) -> None:
        self.detector = detector
        self.landmarker = landmarker

    @classmethod
    def from_files(cls, mediapipe_dir: Path, min_score: float = 0.5) -> FaceAnalyzer:
        """Load the BlazeFace model from ``mediapipe_dir`` and dlib's predictor from its package."""
        detector_path = Path(mediapipe_dir) / DETECTOR_FILE
        if not detector_path.is_file():
            raise ModelFileMissing(f"{detector_path} is missing; run `argus models fetch`")
        return cls(
            BlazeFaceDetector(detector_path, min_score=min_score),
            DlibLandmarker(dlib_model(LANDMARKS_FILE)),
        )

    def detect_faces(self, rgb: NDArray[np.uint8], attributes: frozenset[str]) -> list[dict[str, Any]]:
        """``FaceDetails`` for an RGB ``uint8`` image, largest face first, at most :data:`MAX_FACES`.

        ``attributes`` is Rekognition's ``Attributes``: ``{"DEFAULT"}`` gives the five default landmarks;
        any set containing ``"ALL"`` gives all 30 landmark types.
        """
        height, width = rgb.shape[:2]
        faces = sorted(self.detector.detect(rgb), key=lambda face: face.width * face.height, reverse=True)
        landmark_types = ALL_LANDMARK_TYPES if "ALL" in attributes else DEFAULT_LANDMARK_TYPES

        details: list[dict[str, Any]] = []
        for face in faces[:MAX_FACES]:
            points68 = self.landmarker.landmarks(rgb, face)
            named = rekognition_points(points68)
            box = face_box(face)
            details.append(
                {
                    "BoundingBox": bounding_box(box, width, height),
                    "Landmarks": [
                        {"Type": name, "X": named[name][0] / width, "Y": named[name][1] / height}
                        for name in landmark_types
                    ],
                    "Pose": estimate_pose(points68, width, height).as_rekognition(),
                    "Quality": measure_quality(rgb, box).as_rekognition(),
                    "Confidence": float(face.score * 100.0),
                }
            )
        return details
