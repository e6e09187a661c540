"""68-point facial landmarks (dlib) and their mapping to Rekognition landmark types.

The predictor is dlib's ``shape_predictor_68_face_landmarks.dat`` (iBUG 300-W layout, shipped by the
``face_recognition_models`` package). dlib trained it on boxes from its HOG face detector, so the
BlazeFace box is first adapted to that framing: on the repository's test photos the HOG box has the same
centre as the BlazeFace box and 0.91 times its side (median over the 27 test faces that both detectors
found).

Licence: dlib's model page says this predictor was trained on iBUG 300-W, whose licence excludes
commercial use; see docs/models.md. :class:`Landmarker` is the seam for a replacement.

dlib's predictor expects an upright face, so the face is first rotated so that the two BlazeFace eye
keypoints lie on a horizontal line (MediaPipe does the same before its face mesh); the predicted points
are rotated back into the image. Without this a face rolled by ~30 degrees gets a visibly wrong jaw line.

Rekognition names landmarks from the viewer's side: ``eyeLeft`` is the eye that appears on the left of
the image (smaller X on a frontal face), which is the subject's right eye. The iBUG 68-point layout is
also numbered from the image's left, so "left" below always means the image's left.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.blazeface import DetectedFace

# HOG-box side / BlazeFace-box side, measured (see module docstring).
DLIB_BOX_SCALE = 0.91

# The crop rotated upright is this many BlazeFace box sides wide (room for the jaw of a rolled face).
CROP_SIDES = 2.0

DEFAULT_LANDMARK_TYPES = ("eyeLeft", "eyeRight", "mouthLeft", "mouthRight", "nose")

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

ALL_LANDMARK_TYPES = tuple(REKOGNITION_FROM_68)


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
    """Anything that gives iBUG 68-point pixel landmarks for a detected face."""

    def landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> NDArray[np.float64]: ...


class DlibLandmarker:
    """dlib 68-point shape predictor run on BlazeFace detections (thread-safe)."""

    def __init__(self, model_path: Path) -> None:
        import dlib

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise FileNotFoundError(self.model_path)
        self._predictor = dlib.shape_predictor(str(self.model_path))
        self._rectangle = dlib.rectangle
        self._lock = threading.Lock()

    def landmarks(self, rgb: NDArray[np.uint8], face: DetectedFace) -> NDArray[np.float64]:
        """``(68, 2)`` pixel ``(x, y)`` landmarks of ``face`` in ``rgb``."""
        left, top, right, bottom = face.box
        cx, cy = (left + right) / 2.0, (top + bottom) / 2.0
        side = max(right - left, bottom - top)
        # Angle of the line from the subject's right eye (image left when upright) to the left eye.
        eye_a, eye_b = face.keypoints[0], face.keypoints[1]
        angle = math.degrees(math.atan2(eye_b[1] - eye_a[1], eye_b[0] - eye_a[0]))

        out = max(16, round(side * CROP_SIDES))
        # Rotate about the box centre by `angle` (counter-clockwise on screen) and move it to the crop centre.
        warp = np.asarray(cv2.getRotationMatrix2D((cx, cy), angle, 1.0), dtype=np.float64)
        warp[:, 2] += np.array([out / 2.0 - cx, out / 2.0 - cy])
        crop = cv2.warpAffine(rgb, warp, (out, out), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

        half = DLIB_BOX_SCALE * side / 2.0
        rect = self._rectangle(
            round(out / 2.0 - half), round(out / 2.0 - half), round(out / 2.0 + half), round(out / 2.0 + half)
        )
        with self._lock:
            shape = self._predictor(np.ascontiguousarray(crop), rect)
        points = np.array([(part.x, part.y) for part in shape.parts()], dtype=np.float64)
        back = cv2.invertAffineTransform(warp)
        return np.asarray(points @ back[:, :2].T + back[:, 2], dtype=np.float64)
