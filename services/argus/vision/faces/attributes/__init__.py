"""FaceDetail attributes of Rekognition's DetectFaces ``Attributes=["ALL"]`` for one detected face.

:class:`FaceAttributes` takes the RGB image, the face's pixel box and its named pixel landmarks (the
Rekognition landmark types: ``eyeLeft``, ``eyeRight``, ``leftEyeLeft``, ..., ``mouthUp``, ``chinBottom``;
see :data:`REQUIRED_LANDMARKS`) and returns the members asked for. It does not care which landmarker
produced the points. One module per attribute family:

==================  ====================================================================================
module              members
==================  ====================================================================================
:mod:`.age_gender`  ``AgeRange``, ``Gender`` - dlib-models age / gender networks (ONNX)
:mod:`.emotions`    ``Emotions`` - ``fer``'s 7-class expression CNN (TFLite), CONFUSED derived
:mod:`.expression`  ``Smile`` (network + mouth geometry), ``MouthOpen``, ``EyesOpen`` (geometry, pixels)
:mod:`.eyewear`     ``Sunglasses``, ``Eyeglasses`` - measured pixel signals
:mod:`.facial_hair` ``Beard``, ``Mustache`` - measured pixel signals
:mod:`.occlusion`   ``FaceOccluded`` - border cut, dark lenses, foreign colour over the nose
:mod:`.gaze`        ``EyeDirection`` - iris position between the eye corners
==================  ====================================================================================

Formulas, weights, licences and measured accuracy: docs/face-attributes.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.attributes import expression, eyewear, facial_hair, gaze, occlusion
from argus.vision.faces.attributes.age_gender import AgeGenderModel
from argus.vision.faces.attributes.emotions import EmotionModel, rekognition_emotions
from argus.vision.faces.attributes.geometry import face_frame
from argus.vision.faces.attributes.skin import skin_reference

# Rekognition ``Attributes`` enum value -> FaceDetail member.
MEMBERS: dict[str, str] = {
    "AGE_RANGE": "AgeRange",
    "BEARD": "Beard",
    "EMOTIONS": "Emotions",
    "EYE_DIRECTION": "EyeDirection",
    "EYEGLASSES": "Eyeglasses",
    "EYES_OPEN": "EyesOpen",
    "GENDER": "Gender",
    "MOUTH_OPEN": "MouthOpen",
    "MUSTACHE": "Mustache",
    "FACE_OCCLUDED": "FaceOccluded",
    "SMILE": "Smile",
    "SUNGLASSES": "Sunglasses",
}
ATTRIBUTE_NAMES = frozenset(MEMBERS)

REQUIRED_LANDMARKS = (
    "eyeLeft",
    "eyeRight",
    "leftEyeLeft",
    "leftEyeRight",
    "leftEyeUp",
    "leftEyeDown",
    "rightEyeLeft",
    "rightEyeRight",
    "rightEyeUp",
    "rightEyeDown",
    "noseLeft",
    "noseRight",
    "mouthLeft",
    "mouthRight",
    "mouthUp",
    "mouthDown",
    "chinBottom",
)

Box = tuple[float, float, float, float]


def selected(requested: frozenset[str]) -> frozenset[str]:
    """The attribute names to compute: all of them for ``ALL``, none for ``DEFAULT`` alone."""
    if "ALL" in requested:
        return ATTRIBUTE_NAMES
    return ATTRIBUTE_NAMES & requested


class FaceAttributes:
    """Describe faces with Rekognition's FaceDetail attributes (thread-safe, models loaded once)."""

    def __init__(self, age_gender: AgeGenderModel, emotions: EmotionModel) -> None:
        self.age_gender = age_gender
        self.emotions = emotions

    @classmethod
    def from_files(cls, model_dir: Path) -> FaceAttributes:
        """Load the weights that ``argus models fetch`` put under ``model_dir`` (``Settings.model_dir``)."""
        return cls(AgeGenderModel.from_files(Path(model_dir)), EmotionModel.from_files(Path(model_dir)))

    def describe(
        self,
        rgb: NDArray[np.uint8],
        box: Box,
        landmarks: dict[str, tuple[float, float]],
        requested: frozenset[str],
    ) -> dict[str, Any]:
        """FaceDetail members for ``requested`` Rekognition attribute names.

        ``rgb`` is the whole ``uint8`` RGB image, ``box`` the face's pixel box ``(left, top, right, bottom)``
        and ``landmarks`` its named landmarks in pixels ``{type: (x, y)}``; it must hold
        :data:`REQUIRED_LANDMARKS`. Values are plain Python ``bool`` / ``int`` / ``float`` / ``str``.
        """
        names = selected(requested)
        if not names:
            return {}
        missing = [name for name in REQUIRED_LANDMARKS if name not in landmarks]
        if missing:
            raise ValueError(f"landmarks missing: {', '.join(missing)}")
        frame = face_frame(landmarks)
        out: dict[str, Any] = {}

        if names & {"AGE_RANGE", "GENDER"}:
            estimate = self.age_gender.predict(rgb, box, age="AGE_RANGE" in names, gender="GENDER" in names)
            if "AGE_RANGE" in names:
                out["AgeRange"] = estimate.age_range()
            if "GENDER" in names:
                out["Gender"] = estimate.gender()

        if names & {"EMOTIONS", "SMILE"}:
            probabilities = self.emotions.probabilities(rgb, frame)
            if "SMILE" in names:
                out["Smile"] = expression.smile(frame, probabilities["happy"])
            if "EMOTIONS" in names:
                out["Emotions"] = rekognition_emotions(probabilities)

        eyes_open = expression.eyes_open_probability(frame)
        if "EYES_OPEN" in names:
            out["EyesOpen"] = expression.eyes_open(frame)
        if "MOUTH_OPEN" in names:
            out["MouthOpen"] = expression.mouth_open(rgb, frame)
        if "EYE_DIRECTION" in names:
            out["EyeDirection"] = gaze.eye_direction(rgb, frame, eyes_open)

        if names & {"SUNGLASSES", "EYEGLASSES", "BEARD", "MUSTACHE", "FACE_OCCLUDED"}:
            skin = skin_reference(rgb, frame)
            dark_lenses = eyewear.sunglasses_probability(rgb, frame, skin)
            if "SUNGLASSES" in names:
                out["Sunglasses"] = eyewear.sunglasses(dark_lenses)
            if "EYEGLASSES" in names:
                out["Eyeglasses"] = eyewear.eyeglasses(
                    eyewear.eyeglasses_probability(rgb, frame, skin, dark_lenses)
                )
            if "BEARD" in names:
                out["Beard"] = facial_hair.beard(rgb, frame, skin)
            if "MUSTACHE" in names:
                out["Mustache"] = facial_hair.mustache(rgb, frame, skin)
            if "FACE_OCCLUDED" in names:
                out["FaceOccluded"] = occlusion.face_occluded(rgb, frame, dark_lenses)
        return out
