"""Rekognition landmark types, the :class:`Landmarker` seam, and dlib's opt-in 68-point landmarker.

A landmarker turns one BlazeFace detection into :class:`FaceLandmarks`: the 30 Rekognition landmark types
as pixel points plus the 14 points head pose is fitted to (:data:`argus.vision.faces.pose.TEMPLATE_POINTS`).
The default landmarker is MediaPipe's face mesh (:class:`argus.vision.faces.mesh.FaceMeshLandmarker`,
Apache-2.0). :class:`DlibLandmarker` is kept as an explicit opt-in only; see its licence warning.

Rekognition names landmarks from the viewer's side: ``eyeLeft`` is the eye that appears on the left of
the image (smaller X on a frontal face), which is the subject's right eye. The iBUG 68-point layout is
also numbered from the image's left, so "left" below always means the image's left.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.alignment import upright_shape
from argus.vision.faces.blazeface import DetectedFace
from argus.vision.faces.pose import TEMPLATE_INDICES_68

# HOG-box side / BlazeFace-box side, measured (see DlibLandmarker).
DLIB_BOX_SCALE = 0.91

DEFAULT_LANDMARK_TYPES = ("eyeLeft", "eyeRight", "mouthLeft", "mouthRight", "nose")
# All 30 Rekognition landmark types, in the order ``Attributes=["ALL"]`` returns them.
ALL_LANDMARK_TYPES = (
    *DEFAULT_LANDMARK_TYPES,
    "leftEyeBrowLeft", "leftEyeBrowRight", "leftEyeBrowUp",
    "rightEyeBrowLeft", "rightEyeBrowRight", "rightEyeBrowUp",
    "leftEyeLeft", "leftEyeRight", "leftEyeUp", "leftEyeDown",
    "rightEyeLeft", "rightEyeRight", "rightEyeUp", "rightEyeDown",
    "noseLeft", "noseRight", "mouthUp", "mouthDown", "leftPupil", "rightPupil",
    "upperJawlineLeft", "midJawlineLeft", "chinBottom", "midJawlineRight", "upperJawlineRight",
)  # fmt: skip

# Rekognition landmark type -> iBUG 68-point indices (0-based) averaged to give the point.
REKOGNITION_FROM_68: dict[str, tuple[int, ...]] = {
    "eyeLeft": (36, 37, 38, 39, 40, 41),
    "eyeRight": (42, 43, 44, 45, 46, 47),
    "mouthLeft": (48,),
    "mouthRight": (54,),
    "nose": (30,),
    "leftEyeBrowLeft": (17,),
    "leftEyeBrowRight": (21,),
    "leftEyeBrowUp": (19,),
    "rightEyeBrowLeft": (22,),
    "rightEyeBrowRight": (26,),
    "rightEyeBrowUp": (24,),
    "leftEyeLeft": (36,),
    "leftEyeRight": (39,),
    "leftEyeUp": (37, 38),
    "leftEyeDown": (40, 41),
    "rightEyeLeft": (42,),
    "rightEyeRight": (45,),
    "rightEyeUp": (43, 44),
    "rightEyeDown": (46, 47),
    "noseLeft": (31,),
    "noseRight": (35,),
    "mouthUp": (51,),
    "mouthDown": (57,),
    # The 68-point layout has no pupil; the centre of the eye contour is the best estimate it gives.
    "leftPupil": (36, 37, 38, 39, 40, 41),
    "rightPupil": (42, 43, 44, 45, 46, 47),
    "upperJawlineLeft": (1,),
    "midJawlineLeft": (4,),
    "chinBottom": (8,),
    "midJawlineRight": (12,),
    "upperJawlineRight": (15,),
}


@dataclass(frozen=True)
class FaceLandmarks:
    """Landmarks of one face in pixel ``(x, y)`` of the whole image.

    ``points`` maps each of the 30 :data:`ALL_LANDMARK_TYPES` to its position; ``pose_points`` is the
    ``(14, 2)`` array of :data:`argus.vision.faces.pose.TEMPLATE_POINTS` for
    :func:`argus.vision.faces.pose.estimate_pose`.
    """

    points: dict[str, tuple[float, float]]
    pose_points: NDArray[np.float64]


def rekognition_points(points68: NDArray[np.float64]) -> dict[str, tuple[float, float]]:
    """All 30 Rekognition landmark types as pixel ``(x, y)`` from a ``(68, 2)`` iBUG array."""
    if points68.shape != (68, 2):
        raise ValueError(f"expected (68, 2) landmarks, got {points68.shape}")
    named: dict[str, tuple[float, float]] = {}
    for name, indices in REKOGNITION_FROM_68.items():
        x, y = points68[list(indices)].mean(axis=0)
        named[name] = (float(x), float(y))
    return named


class Landmarker(Protocol):
    """Anything that gives the Rekognition landmarks and the pose points of a detected face."""

    def face_landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> FaceLandmarks: ...


class DlibLandmarker:
    """dlib 68-point shape predictor run on BlazeFace detections (thread-safe). Opt-in only.

    **Licence warning.** The predictor is ``shape_predictor_68_face_landmarks.dat`` (iBUG 300-W layout,
    shipped by the ``face_recognition_models`` package under its blanket CC0 statement). dlib's own model
    page says it was trained on the iBUG 300-W data set, whose licence excludes commercial use, and that
    the data set's creators asked for a note that the model therefore can't be used in a commercial
    product. It is not the default and is never loaded unless asked for (``FaceAnalyzer.from_files(...,
    landmarks="dlib-68")`` or constructing this class); don't enable it in a commercial deployment.

    dlib trained it on boxes from its HOG face detector, so the BlazeFace box is first adapted to that
    framing: on the repository's test photos the HOG box has the same centre as the BlazeFace box and
    0.91 times its side (median over the 27 test faces that both detectors found). dlib's predictor
    expects an upright face, so the face is first rotated so that the two BlazeFace eye keypoints lie on a
    horizontal line (MediaPipe does the same before its face mesh); the predicted points are rotated back
    into the image. Without this a face rolled by ~30 degrees gets a visibly wrong jaw line.
    """

    def __init__(self, model_path: Path) -> None:
        import dlib

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise FileNotFoundError(self.model_path)
        self._predictor = dlib.shape_predictor(str(self.model_path))
        self._lock = threading.Lock()

    def landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> NDArray[np.float64]:
        """``(68, 2)`` pixel ``(x, y)`` landmarks of ``face`` in ``rgb``."""
        left, top, right, bottom = face.box
        cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
        side = max(right - left, bottom - top)
        # Angle of the line from the subject's right eye (image left when upright) to the left eye.
        eye_a, eye_b = face.keypoints[0], face.keypoints[1]
        angle = math.degrees(math.atan2(eye_b[1] - eye_a[1], eye_b[0] - eye_a[0]))

        return upright_shape(self._predictor, self._lock, rgb, (cx, cy), side, angle, DLIB_BOX_SCALE)

    def face_landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> FaceLandmarks:
        """The 30 Rekognition landmarks (:data:`REKOGNITION_FROM_68`) and pose points of ``face``."""
        points68 = self.landmarks(rgb, face)
        return FaceLandmarks(
            points=rekognition_points(points68),
            pose_points=np.ascontiguousarray(points68[list(TEMPLATE_INDICES_68)], dtype=np.float64),
        )
