"""FaceAttributes.describe: Rekognition FaceDetail attributes of real faces."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from argus.core.config import Settings
from argus.core.models.files import ModelFileMissing
from argus.vision.faces.analyzer import FaceAnalyzer
from argus.vision.faces.attributes import MEMBERS, FaceAttributes
from argus.vision.faces.attributes.emotions import EMOTION_TYPES, FER_CLASSES, rekognition_emotions
from argus.vision.faces.attributes.geometry import face_frame
from tests.vision.conftest import RGB, load_rgb

ALL = frozenset({"ALL"})
Box = tuple[float, float, float, float]
Landmarks = dict[str, tuple[float, float]]


@pytest.fixture(scope="session")
def attributes() -> FaceAttributes:
    try:
        return FaceAttributes.from_files(Settings().model_dir)
    except ModelFileMissing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def product_analyzer(mediapipe_dir: Path) -> FaceAnalyzer:
    """The analyzer as the service builds it (its default landmarker), which feeds describe()."""
    try:
        return FaceAnalyzer.from_files(mediapipe_dir)
    except ModelFileMissing as missing:
        pytest.skip(str(missing))


def largest_face(analyzer: FaceAnalyzer, rgb: RGB) -> tuple[Box, Landmarks]:
    """Pixel box and named pixel landmarks of the largest face that the analyzer finds."""
    height, width = rgb.shape[:2]
    face = analyzer.detect_faces(rgb, ALL)[0]
    bb = face["BoundingBox"]
    box = (
        bb["Left"] * width,
        bb["Top"] * height,
        (bb["Left"] + bb["Width"]) * width,
        (bb["Top"] + bb["Height"]) * height,
    )
    return box, {item["Type"]: (item["X"] * width, item["Y"] * height) for item in face["Landmarks"]}


@pytest.fixture(scope="session")
def astronaut_face(product_analyzer: FaceAnalyzer, astronaut: RGB) -> tuple[Box, Landmarks]:
    return largest_face(product_analyzer, astronaut)


@pytest.fixture(scope="session")
def astronaut_all(attributes: FaceAttributes, astronaut: RGB, astronaut_face: tuple[Box, Landmarks]) -> Any:
    box, landmarks = astronaut_face
    return attributes.describe(astronaut, box, landmarks, ALL)


def describe_photo(
    attributes: FaceAttributes, analyzer: FaceAnalyzer, path: Path, requested: frozenset[str]
) -> dict[str, Any]:
    rgb = load_rgb(path)
    box, landmarks = largest_face(analyzer, rgb)
    return attributes.describe(rgb, box, landmarks, requested)


def plain(value: Any) -> bool:
    """Only JSON-ready built-in types, all the way down."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(plain(item) for item in value)
    return type(value) in (bool, int, float, str)


def test_astronaut_is_female_with_confidence_over_60(astronaut_all: dict[str, Any]) -> None:
    assert astronaut_all["Gender"]["Value"] == "Female"
    assert astronaut_all["Gender"]["Confidence"] > 60.0


def test_astronaut_is_smiling(astronaut_all: dict[str, Any]) -> None:
    assert astronaut_all["Smile"]["Value"] is True


def test_astronaut_eyes_are_open(astronaut_all: dict[str, Any]) -> None:
    assert astronaut_all["EyesOpen"]["Value"] is True


def test_astronaut_age_range_brackets_an_adult_age(astronaut_all: dict[str, Any]) -> None:
    age = astronaut_all["AgeRange"]
    assert set(age) == {"Low", "High"}
    assert type(age["Low"]) is int and type(age["High"]) is int
    assert age["Low"] >= 18
    assert age["High"] <= 70
    assert age["Low"] < age["High"]


def test_astronaut_emotions_are_all_eight_sorted_with_happy_first(astronaut_all: dict[str, Any]) -> None:
    emotions = astronaut_all["Emotions"]
    assert sorted(item["Type"] for item in emotions) == sorted(EMOTION_TYPES)
    confidences = [item["Confidence"] for item in emotions]
    assert confidences == sorted(confidences, reverse=True)
    assert emotions[0]["Type"] == "HAPPY"


def test_all_returns_every_member_as_plain_python(astronaut_all: dict[str, Any]) -> None:
    assert set(astronaut_all) == set(MEMBERS.values())
    assert plain(astronaut_all)


def test_boolean_members_have_value_and_confidence_between_50_and_100(astronaut_all: dict[str, Any]) -> None:
    for member in (
        "Smile",
        "Eyeglasses",
        "Sunglasses",
        "Beard",
        "Mustache",
        "EyesOpen",
        "MouthOpen",
        "FaceOccluded",
    ):
        assert set(astronaut_all[member]) == {"Value", "Confidence"}
        assert type(astronaut_all[member]["Value"]) is bool
        assert 50.0 <= astronaut_all[member]["Confidence"] <= 100.0


def test_eye_direction_has_yaw_pitch_confidence(astronaut_all: dict[str, Any]) -> None:
    direction = astronaut_all["EyeDirection"]
    assert set(direction) == {"Yaw", "Pitch", "Confidence"}
    assert -90.0 <= direction["Yaw"] <= 90.0
    assert -90.0 <= direction["Pitch"] <= 90.0
    assert 0.0 <= direction["Confidence"] <= 100.0


def test_speaking_mouth_is_open(
    attributes: FaceAttributes, product_analyzer: FaceAnalyzer, shared_faces: Path
) -> None:
    detail = describe_photo(
        attributes, product_analyzer, shared_faces / "obama_2.jpg", frozenset({"MOUTH_OPEN"})
    )
    assert detail["MouthOpen"]["Value"] is True


def test_pressed_lips_are_closed(
    attributes: FaceAttributes, product_analyzer: FaceAnalyzer, shared_faces: Path
) -> None:
    detail = describe_photo(
        attributes, product_analyzer, shared_faces / "obama_4.jpg", frozenset({"MOUTH_OPEN"})
    )
    assert detail["MouthOpen"]["Value"] is False


def test_eyes_turned_to_the_image_left_give_negative_yaw(
    attributes: FaceAttributes, product_analyzer: FaceAnalyzer, shared_faces: Path
) -> None:
    detail = describe_photo(
        attributes, product_analyzer, shared_faces / "obama_2.jpg", frozenset({"EYE_DIRECTION"})
    )
    assert detail["EyeDirection"]["Yaw"] < -10.0


def test_eyes_looking_into_the_camera_give_small_yaw(astronaut_all: dict[str, Any]) -> None:
    assert abs(astronaut_all["EyeDirection"]["Yaw"]) < 15.0


def test_bare_face_is_not_occluded(astronaut_all: dict[str, Any]) -> None:
    assert astronaut_all["FaceOccluded"]["Value"] is False


def test_photo_pasted_over_nose_and_mouth_occludes_the_face(
    attributes: FaceAttributes, astronaut: RGB, coffee: RGB, astronaut_face: tuple[Box, Landmarks]
) -> None:
    import cv2

    box, landmarks = astronaut_face
    frame = face_frame(landmarks)
    left, top = (round(v) for v in frame.to_image(-0.75, 0.25))
    right, bottom = (round(v) for v in frame.to_image(0.75, 1.6))
    covered = astronaut.copy()
    covered[top:bottom, left:right] = cv2.resize(coffee[60:300, 180:460], (right - left, bottom - top))
    detail = attributes.describe(covered, box, landmarks, frozenset({"FACE_OCCLUDED"}))
    assert detail["FaceOccluded"]["Value"] is True


def test_requested_subset_returns_only_those_members(
    attributes: FaceAttributes, astronaut: RGB, astronaut_face: tuple[Box, Landmarks]
) -> None:
    box, landmarks = astronaut_face
    detail = attributes.describe(astronaut, box, landmarks, frozenset({"GENDER", "SMILE", "BEARD"}))
    assert set(detail) == {"Gender", "Smile", "Beard"}


def test_default_returns_no_attributes(
    attributes: FaceAttributes, astronaut: RGB, astronaut_face: tuple[Box, Landmarks]
) -> None:
    box, landmarks = astronaut_face
    assert attributes.describe(astronaut, box, landmarks, frozenset({"DEFAULT"})) == {}


def test_missing_landmarks_are_refused(
    attributes: FaceAttributes, astronaut: RGB, astronaut_face: tuple[Box, Landmarks]
) -> None:
    box, landmarks = astronaut_face
    partial = {name: point for name, point in landmarks.items() if name != "mouthUp"}
    with pytest.raises(ValueError, match="mouthUp"):
        attributes.describe(astronaut, box, partial, ALL)


def test_concurrent_calls_agree_with_a_single_call(
    attributes: FaceAttributes, astronaut: RGB, astronaut_face: tuple[Box, Landmarks], astronaut_all: Any
) -> None:
    box, landmarks = astronaut_face
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: attributes.describe(astronaut, box, landmarks, ALL), range(8)))
    assert all(result == astronaut_all for result in results)


def test_confused_is_near_zero_for_a_certain_expression() -> None:
    probabilities = dict.fromkeys(FER_CLASSES, 0.001 / 6) | {"happy": 0.999}
    confused = {e["Type"]: e["Confidence"] for e in rekognition_emotions(probabilities)}["CONFUSED"]
    assert confused < 1.0


def test_confused_is_large_for_an_undecided_expression() -> None:
    probabilities = dict.fromkeys(FER_CLASSES, 1.0 / 7)
    emotions = rekognition_emotions(probabilities)
    assert emotions[0]["Type"] == "CONFUSED"
    assert float(np.sum([e["Confidence"] for e in emotions])) == pytest.approx(100.0)
