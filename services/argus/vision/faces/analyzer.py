"""DetectFaces: RGB image -> Rekognition ``FaceDetail`` dicts.

Pipeline per image: BlazeFace full-range detection (:mod:`.blazeface`), MediaPipe's 468-point face mesh
on each detection (:mod:`.mesh`) mapped to the 30 Rekognition landmark types, head pose by ``solvePnP``
(:mod:`.pose`) and brightness/sharpness of the face box (:mod:`.quality`). Only values that are actually
computed are returned; with ``ALL`` the response gains the 30 landmark types, nothing invented (no age,
emotions, ...). All model files are Apache-2.0; dlib's 68-point predictor (non-commercial training data,
see :class:`~argus.vision.faces.landmarks.DlibLandmarker`) is only used when explicitly asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import ModelFileMissing, dlib_model
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.faces.landmarks import (
    ALL_LANDMARK_TYPES,
    DEFAULT_LANDMARK_TYPES,
    DlibLandmarker,
    Landmarker,
)
from argus.vision.faces.mesh import FaceMeshLandmarker
from argus.vision.faces.pose import estimate_pose
from argus.vision.faces.quality import measure_quality

if TYPE_CHECKING:
    from argus.vision.faces.attributes import FaceAttributes

DETECTOR_FILE = "face_detection_full_range_sparse.tflite"
MESH_FILE = "face_landmark.tflite"
# dlib's 68-point predictor, opt-in only (``landmarks="dlib-68"``): see DlibLandmarker's licence warning.
LANDMARKS_FILE = "shape_predictor_68_face_landmarks.dat"
MAX_FACES = 100

LandmarkModel = Literal["mesh", "dlib-68"]

# BlazeFace boxes are square and stop near the chin (the face mesh's chin point lies a median 1.2%, at most
# 7.6%, of the box height below it on the 29 test faces; dlib's: median 3.7%, at most 10.3%); Rekognition's
# face boxes include the chin, so the box is extended downwards by this fraction of its height.
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


@dataclass(frozen=True)
class AnalyzedFace:
    """One detected face: its Rekognition ``FaceDetail``, the detection and its landmarks in pixels."""

    detail: dict[str, Any]
    detection: DetectedFace
    landmarks: dict[str, tuple[float, float]]


class FaceAnalyzer:
    """Detect faces and describe them as Rekognition ``FaceDetail`` dicts (thread-safe).

    With ``attributes`` (the age, gender, emotion ... models) the FaceDetail also carries the
    attributes a request asks for; without it only detection, landmarks, pose and quality.
    """

    def __init__(
        self, detector: BlazeFaceDetector, landmarker: Landmarker, attributes: FaceAttributes | None = None
    ) -> None:
        self.detector = detector
        self.landmarker = landmarker
        self.attributes = attributes

    @classmethod
    def from_files(
        cls, mediapipe_dir: Path, min_score: float = 0.5, landmarks: LandmarkModel = "mesh"
    ) -> FaceAnalyzer:
        """Load BlazeFace and the face mesh from ``mediapipe_dir`` (where ``argus models fetch`` puts them).

        ``landmarks="dlib-68"`` opts into dlib's 68-point predictor from the ``face_recognition_models``
        package instead of the face mesh; its training data forbids commercial use (see
        :class:`~argus.vision.faces.landmarks.DlibLandmarker`), so it is never the default.
        """
        detector_path = Path(mediapipe_dir) / DETECTOR_FILE
        if not detector_path.is_file():
            raise ModelFileMissing(f"{detector_path} is missing; run `argus models fetch`")
        landmarker: Landmarker
        if landmarks == "mesh":
            mesh_path = Path(mediapipe_dir) / MESH_FILE
            if not mesh_path.is_file():
                raise ModelFileMissing(f"{mesh_path} is missing; run `argus models fetch`")
            landmarker = FaceMeshLandmarker(mesh_path)
        elif landmarks == "dlib-68":  # imports dlib and reads the .dat only here
            landmarker = DlibLandmarker(dlib_model(LANDMARKS_FILE))
        else:
            raise ValueError(f"landmarks must be 'mesh' or 'dlib-68', got {landmarks!r}")
        return cls(BlazeFaceDetector(detector_path, min_score=min_score), landmarker)

    def detect_faces(self, rgb: NDArray[np.uint8], attributes: frozenset[str]) -> list[dict[str, Any]]:
        """``FaceDetails`` for an RGB ``uint8`` image, largest face first, at most :data:`MAX_FACES`."""
        return [face.detail for face in self.analyze(rgb, attributes)]

    def analyze(self, rgb: NDArray[np.uint8], attributes: frozenset[str]) -> list[AnalyzedFace]:
        """Every face, largest first, at most :data:`MAX_FACES`.

        ``attributes`` is Rekognition's ``Attributes``: ``{"DEFAULT"}`` gives the default members and
        the five default landmarks; ``"ALL"`` gives every attribute and all 30 landmark types; single
        attribute names (``"AGE_RANGE"``, ``"EMOTIONS"`` ...) add those to the default members.
        """
        height, width = rgb.shape[:2]
        faces = sorted(self.detector.detect(rgb), key=lambda face: face.width * face.height, reverse=True)
        landmark_types = ALL_LANDMARK_TYPES if "ALL" in attributes else DEFAULT_LANDMARK_TYPES

        analyzed: list[AnalyzedFace] = []
        for face in faces[:MAX_FACES]:
            found = self.landmarker.face_landmarks(rgb, face)
            named = found.points
            box = face_box(face)
            detail: dict[str, Any] = {"BoundingBox": bounding_box(box, width, height)}
            if self.attributes is not None:
                detail.update(self.attributes.describe(rgb, box, named, attributes))
            detail.update(
                {
                    "Landmarks": [
                        {"Type": name, "X": named[name][0] / width, "Y": named[name][1] / height}
                        for name in landmark_types
                    ],
                    "Pose": estimate_pose(found.pose_points, width, height).as_rekognition(),
                    "Quality": measure_quality(rgb, box).as_rekognition(),
                    "Confidence": float(face.score * 100.0),
                }
            )
            analyzed.append(AnalyzedFace(detail=detail, detection=face, landmarks=named))
        return analyzed
