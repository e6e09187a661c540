"""128-d face embeddings: dlib's ResNet face recognition model on 5-point aligned face chips.

Models (PyPI ``face-recognition-models==0.3.0``, found with :func:`argus.core.models.files.dlib_model`):

* ``shape_predictor_5_face_landmarks.dat``: the two corners of each eye and the base of the nose, trained
  on dlib's own 5-point face landmark data set (7198 faces annotated by Davis King).
* ``dlib_face_recognition_resnet_model_v1.dat``: a 29-layer ResNet that maps a 150x150 aligned chip to a
  128-d vector; 99.38 % on LFW according to dlib. Trained with a metric loss that puts faces of one person
  within a euclidean distance of 0.6 of each other (on the raw, unnormalised vectors).

Both are released into the public domain by Davis King (dlib-models README), and the package ships them
under CC0 1.0. Unlike the 68-point predictor, dlib's model page carries no non-commercial note for either.
See docs/face-similarity.md.

Per face: the 5-point predictor runs on a square box with the centre of the BlazeFace box and
:data:`DLIB_BOX_SCALE` times its side (the framing of dlib's HOG detector, which the predictor was
trained with: HOG box side / BlazeFace box side had a median of 0.93 over the 24 faces of the shared
test photos that both detectors found, and the centres agree: median offset about 1 % of the side).
Embeddings hardly depend on it: scales 0.8 to 1.1 change pair distances on those photos by at most 0.04
(mean 0.005).

The predictor expects an upright face. Given the eye positions (``eyes``), the face is first rotated
upright about its box centre and the five points are rotated back; without them it runs on the image as
is, which is fine up to about 45 degrees of roll (the astronaut rotated by 45 degrees: distance 0.10 to
the upright embedding) but not beyond (0.44 to 0.53 at 60 to 90 degrees, the same as a different person;
with the eyes given: 0.04 to 0.08). All faces of an image are then embedded in one batched
``compute_face_descriptor`` call (dlib aligns each chip from the 5 points itself, 150x150, padding 0.25).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import dlib_model
from argus.vision.faces.alignment import upright_shape
from argus.vision.faces.blazeface import DetectedFace

EMBEDDING_DIM = 128
EMBEDDING_MODEL = "dlib-resnet-v1"
RECOGNITION_FILE = "dlib_face_recognition_resnet_model_v1.dat"
SHAPE_PREDICTOR_FILE = "shape_predictor_5_face_landmarks.dat"

# HOG-box side / BlazeFace-box side, measured (see module docstring).
DLIB_BOX_SCALE = 0.93

Box = tuple[float, float, float, float]
Point = tuple[float, float]
Eyes = tuple[Point, Point]


def roll_degrees(eyes: Eyes) -> float:
    """Angle of the line from the subject's right eye to the subject's left eye, in degrees.

    ``eyes`` is ``(subject's right eye, subject's left eye)`` in pixels: BlazeFace keypoints 0 and 1, or
    Rekognition's ``eyeLeft`` and ``eyeRight`` (named from the viewer's side). 0 for an upright face.
    """
    (x0, y0), (x1, y1) = eyes
    return math.degrees(math.atan2(y1 - y0, x1 - x0))


class FaceEmbedder:
    """L2-normalised 128-d dlib ResNet embeddings of faces given by their boxes (thread-safe)."""

    def __init__(self, recognition_model: Path, shape_predictor_5: Path) -> None:
        import dlib

        self.recognition_model = Path(recognition_model)
        self.shape_predictor_5 = Path(shape_predictor_5)
        for path in (self.recognition_model, self.shape_predictor_5):
            if not path.is_file():
                raise FileNotFoundError(path)
        self._dlib = dlib
        self._predictor = dlib.shape_predictor(str(self.shape_predictor_5))
        self._model = dlib.face_recognition_model_v1(str(self.recognition_model))
        self._lock = threading.Lock()

    @classmethod
    def from_files(cls) -> FaceEmbedder:
        """Both models from the installed ``face_recognition_models`` package."""
        return cls(dlib_model(RECOGNITION_FILE), dlib_model(SHAPE_PREDICTOR_FILE))

    def landmarks5(self, rgb: NDArray[np.uint8], box: Box, eyes: Eyes | None = None) -> NDArray[np.float64]:
        """dlib's five points ``(5, 2)`` as pixel ``(x, y)``: the subject's left eye outer and inner
        corner, right eye outer and inner corner, base of the nose."""
        left, top, right, bottom = (float(v) for v in box)
        side = max(right - left, bottom - top)
        if not side > 0.0:
            raise ValueError(f"empty face box {box}")
        center = ((left + right) / 2.0, (top + bottom) / 2.0)
        angle = 0.0 if eyes is None else roll_degrees(eyes)
        return upright_shape(self._predictor, self._lock, rgb, center, side, angle, DLIB_BOX_SCALE)

    def embed(
        self,
        rgb: NDArray[np.uint8],
        boxes: Sequence[Box],
        eyes: Sequence[Eyes | None] | None = None,
    ) -> NDArray[np.float32]:
        """Embeddings ``(len(boxes), 128)`` float32 with unit rows, one batched dlib call per image.

        ``rgb`` is an upright RGB ``uint8`` image ``(H, W, 3)``; ``boxes`` are pixel ``(left, top, right,
        bottom)`` face boxes (BlazeFace's, or those extended to the chin: the framing barely matters);
        ``eyes``, optional, one entry per box, are the eye centres used to rotate rolled faces upright
        (see :func:`roll_degrees`).
        """
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")
        if eyes is not None and len(eyes) != len(boxes):
            raise ValueError(f"got {len(eyes)} eye pairs for {len(boxes)} boxes")
        if not boxes:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        image = np.ascontiguousarray(rgb)
        shapes = self._dlib.full_object_detections()
        for index, box in enumerate(boxes):
            points = self.landmarks5(image, box, None if eyes is None else eyes[index])
            left, top, right, bottom = (round(float(v)) for v in box)
            shapes.append(
                self._dlib.full_object_detection(
                    self._dlib.rectangle(left, top, right, bottom),
                    [self._dlib.point(round(x), round(y)) for x, y in points],
                )
            )
        with self._lock:
            descriptors = self._model.compute_face_descriptor(image, shapes)
        vectors = np.array([np.asarray(d, dtype=np.float64) for d in descriptors], dtype=np.float64)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors.astype(np.float32)

    def embed_faces(self, rgb: NDArray[np.uint8], faces: Sequence[DetectedFace]) -> NDArray[np.float32]:
        """:meth:`embed` for BlazeFace detections, using their eye keypoints to undo the roll."""
        eyes: list[Eyes | None] = [
            (
                (float(f.keypoints[0, 0]), float(f.keypoints[0, 1])),
                (float(f.keypoints[1, 0]), float(f.keypoints[1, 1])),
            )
            for f in faces
        ]
        return self.embed(rgb, [face.box for face in faces], eyes)
