"""Rekognition landmark names, and dlib's opt-in 68-point landmarker on BlazeFace detections.

The default landmarker, MediaPipe's face mesh, is tested in test_faces_mesh.py.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from argus.vision.faces.blazeface import BlazeFaceDetector
from argus.vision.faces.landmarks import (
    ALL_LANDMARK_TYPES,
    DEFAULT_LANDMARK_TYPES,
    REKOGNITION_FROM_68,
    DlibLandmarker,
    FaceLandmarks,
    rekognition_points,
)
from argus.vision.faces.pose import TEMPLATE_INDICES_68
from tests.vision.conftest import RGB

REKOGNITION_TYPES = {
    "eyeLeft", "eyeRight", "nose", "mouthLeft", "mouthRight",
    "leftEyeBrowLeft", "leftEyeBrowRight", "leftEyeBrowUp",
    "rightEyeBrowLeft", "rightEyeBrowRight", "rightEyeBrowUp",
    "leftEyeLeft", "leftEyeRight", "leftEyeUp", "leftEyeDown",
    "rightEyeLeft", "rightEyeRight", "rightEyeUp", "rightEyeDown",
    "noseLeft", "noseRight", "mouthUp", "mouthDown", "leftPupil", "rightPupil",
    "upperJawlineLeft", "midJawlineLeft", "chinBottom", "midJawlineRight", "upperJawlineRight",
}  # fmt: skip


def inter_ocular(points: np.ndarray) -> float:
    return float(np.linalg.norm(points[36:42].mean(axis=0) - points[42:48].mean(axis=0)))


def test_all_30_rekognition_types_are_mapped() -> None:
    assert len(ALL_LANDMARK_TYPES) == 30
    assert set(ALL_LANDMARK_TYPES) == REKOGNITION_TYPES
    assert tuple(REKOGNITION_FROM_68) == ALL_LANDMARK_TYPES
    assert all(0 <= index < 68 for indices in REKOGNITION_FROM_68.values() for index in indices)


def test_default_types_are_the_five_rekognition_defaults_first() -> None:
    assert DEFAULT_LANDMARK_TYPES == ("eyeLeft", "eyeRight", "mouthLeft", "mouthRight", "nose")
    assert ALL_LANDMARK_TYPES[:5] == DEFAULT_LANDMARK_TYPES


def test_rekognition_points_average_their_ibug_indices() -> None:
    points = np.stack([np.arange(68.0), np.arange(68.0) * 2], axis=1)
    named = rekognition_points(points)
    assert named["eyeLeft"] == (38.5, 77.0)  # mean of 36..41
    assert named["eyeRight"] == (44.5, 89.0)  # mean of 42..47
    assert named["nose"] == (30.0, 60.0)
    assert named["leftEyeUp"] == (37.5, 75.0)
    assert named["chinBottom"] == (8.0, 16.0)


def test_rekognition_points_reject_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="68, 2"):
        rekognition_points(np.zeros((5, 2)))


def test_astronaut_landmarks_are_in_anatomical_order(
    detector: BlazeFaceDetector, landmarker: DlibLandmarker, astronaut: RGB
) -> None:
    named = rekognition_points(landmarker.landmarks(astronaut, detector.detect(astronaut)[0]))
    assert named["eyeLeft"][0] < named["nose"][0] < named["eyeRight"][0]
    assert named["mouthLeft"][0] < named["mouthUp"][0] < named["mouthRight"][0]
    assert named["leftEyeBrowUp"][1] < named["eyeLeft"][1] < named["nose"][1] < named["mouthUp"][1]
    assert named["mouthUp"][1] < named["mouthDown"][1] < named["chinBottom"][1]
    assert named["leftEyeLeft"][0] < named["leftEyeRight"][0] < named["rightEyeLeft"][0]
    assert named["rightEyeLeft"][0] < named["rightEyeRight"][0]
    assert named["upperJawlineLeft"][0] < named["midJawlineLeft"][0] < named["chinBottom"][0]
    assert named["chinBottom"][0] < named["midJawlineRight"][0] < named["upperJawlineRight"][0]


def test_astronaut_eyes_are_where_her_eyes_are(
    detector: BlazeFaceDetector, landmarker: DlibLandmarker, astronaut: RGB
) -> None:
    named = rekognition_points(landmarker.landmarks(astronaut, detector.detect(astronaut)[0]))
    # Her pupils are at about (203, 101) and (246, 104) in the 512x512 picture (read off a 4x zoom).
    assert named["eyeLeft"] == pytest.approx((203, 101), abs=4)
    assert named["eyeRight"] == pytest.approx((246, 104), abs=4)


@pytest.mark.parametrize("angle", [-40, 40])
def test_landmarks_follow_a_face_rolled_by_40_degrees(
    detector: BlazeFaceDetector, landmarker: DlibLandmarker, astronaut: RGB, angle: int
) -> None:
    upright = landmarker.landmarks(astronaut, detector.detect(astronaut)[0])
    warp = cv2.getRotationMatrix2D((220.0, 125.0), angle, 1.0)
    rolled = cv2.warpAffine(astronaut, warp, (512, 512), borderMode=cv2.BORDER_REFLECT)
    expected = upright @ warp[:, :2].T + warp[:, 2]
    found = landmarker.landmarks(rolled, detector.detect(rolled)[0])
    mean_error = float(np.linalg.norm(found - expected, axis=1).mean())
    assert mean_error < 0.05 * inter_ocular(upright)


def test_landmarks_are_pixel_coordinates_of_the_whole_image(
    detector: BlazeFaceDetector, landmarker: DlibLandmarker, zidane: RGB
) -> None:
    for face in detector.detect(zidane):
        points = landmarker.landmarks(zidane, face)
        assert points.shape == (68, 2)
        centre = points[[36, 45, 30, 48, 54]].mean(axis=0)
        assert face.box[0] < centre[0] < face.box[2]
        assert face.box[1] < centre[1] < face.box[3]


def test_dlib_face_landmarks_are_the_30_types_and_the_pose_points(
    detector: BlazeFaceDetector, landmarker: DlibLandmarker, astronaut: RGB
) -> None:
    face = detector.detect(astronaut)[0]
    points = landmarker.landmarks(astronaut, face)
    found = landmarker.face_landmarks(astronaut, face)
    assert isinstance(found, FaceLandmarks)
    assert tuple(found.points) == ALL_LANDMARK_TYPES
    assert found.points == rekognition_points(points)
    assert found.pose_points.shape == (14, 2)
    assert np.array_equal(found.pose_points, points[list(TEMPLATE_INDICES_68)])
