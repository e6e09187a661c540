"""Head pose: synthetic projections of the template and real photos, mirrored and rolled."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest

from argus.vision.faces.analyzer import MESH_FILE
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.faces.landmarks import Landmarker
from argus.vision.faces.mesh import FaceMeshLandmarker
from argus.vision.faces.pose import (
    TEMPLATE_3D,
    TEMPLATE_INDICES_68,
    TEMPLATE_INDICES_MESH,
    TEMPLATE_POINTS,
    Pose,
    camera_matrix,
    estimate_pose,
    euler_from_rotation,
)
from tests.vision.conftest import RGB, load_rgb, mirrored

WIDTH, HEIGHT = 640, 480
# Positions in TEMPLATE_POINTS order.
LEFT_EYE_OUTER, RIGHT_EYE_OUTER, LEFT_NOSTRIL, RIGHT_NOSTRIL = 4, 7, 8, 9


@pytest.fixture(scope="module")
def mesh_landmarker(mediapipe_dir: Path) -> FaceMeshLandmarker:
    return FaceMeshLandmarker(mediapipe_dir / MESH_FILE)


@pytest.fixture(params=["mesh", "dlib-68"])
def any_landmarker(request: pytest.FixtureRequest) -> Landmarker:
    """The default face mesh and the opt-in dlib predictor: both must follow the same conventions."""
    name = "mesh_landmarker" if request.param == "mesh" else "landmarker"
    landmarker: Landmarker = request.getfixturevalue(name)
    return landmarker


def rotation(roll: float, yaw: float, pitch: float) -> np.ndarray:
    """``Rz(roll) @ Ry(-yaw) @ Rx(-pitch)``, the convention pose.py documents."""
    g, b, a = math.radians(roll), math.radians(-yaw), math.radians(-pitch)
    rz = np.array([[math.cos(g), -math.sin(g), 0], [math.sin(g), math.cos(g), 0], [0, 0, 1]])
    ry = np.array([[math.cos(b), 0, math.sin(b)], [0, 1, 0], [-math.sin(b), 0, math.cos(b)]])
    rx = np.array([[1, 0, 0], [0, math.cos(a), -math.sin(a)], [0, math.sin(a), math.cos(a)]])
    return np.asarray(rz @ ry @ rx)


def projected_landmarks(
    roll: float, yaw: float, pitch: float, at: tuple[float, float] = (0.0, 0.0)
) -> np.ndarray:
    """The 14 template points of the template posed at 60 cm, on the ray through ``at``.

    ``at`` is in centimetres sideways/down at that depth; the pose is relative to the line of sight.
    """
    direction = np.array([at[0], at[1], 60.0])
    axis = np.cross([0.0, 0.0, 1.0], direction / np.linalg.norm(direction))
    sight = np.eye(3)
    if np.linalg.norm(axis) > 0:
        angle = math.asin(float(np.linalg.norm(axis)))
        sight, _ = cv2.Rodrigues(axis / np.linalg.norm(axis) * angle)
    rvec, _ = cv2.Rodrigues(sight @ rotation(roll, yaw, pitch))
    image, _ = cv2.projectPoints(TEMPLATE_3D, rvec, direction, camera_matrix(WIDTH, HEIGHT), np.zeros(4))
    return np.asarray(image[:, 0], dtype=np.float64)


def pose_of(face: DetectedFace, landmarker: Landmarker, rgb: RGB) -> Pose:
    return estimate_pose(landmarker.face_landmarks(rgb, face).pose_points, rgb.shape[1], rgb.shape[0])


def nearest(faces: list[DetectedFace], x: float) -> DetectedFace:
    return min(faces, key=lambda face: abs((face.box[0] + face.box[2]) / 2 - x))


@pytest.mark.parametrize(
    ("roll", "yaw", "pitch"),
    [(0, 0, 0), (20, 0, 0), (0, 35, 0), (0, 0, -25), (15, -25, 10), (-5, 40, -15)],
)
def test_projected_template_gives_back_its_angles(roll: float, yaw: float, pitch: float) -> None:
    pose = estimate_pose(projected_landmarks(roll, yaw, pitch), WIDTH, HEIGHT)
    assert (pose.roll, pose.yaw, pose.pitch) == pytest.approx((roll, yaw, pitch), abs=0.01)


def test_pose_is_relative_to_the_line_of_sight() -> None:
    # A frontal face in the top-left corner of the frame still looks straight at the camera.
    pose = estimate_pose(projected_landmarks(0, 0, 0, at=(-25.0, -18.0)), WIDTH, HEIGHT)
    assert (pose.roll, pose.yaw, pose.pitch) == pytest.approx((0, 0, 0), abs=0.01)


def test_positive_yaw_moves_the_nose_to_the_image_right() -> None:
    points = projected_landmarks(0, 30, 0)
    eye_corners_mid = (points[LEFT_EYE_OUTER, 0] + points[RIGHT_EYE_OUTER, 0]) / 2
    nostrils_mid = (points[LEFT_NOSTRIL, 0] + points[RIGHT_NOSTRIL, 0]) / 2
    assert nostrils_mid > eye_corners_mid + 5


def test_positive_roll_lowers_the_image_right_eye() -> None:
    points = projected_landmarks(20, 0, 0)
    assert points[RIGHT_EYE_OUTER, 1] > points[LEFT_EYE_OUTER, 1] + 10


def test_positive_pitch_brings_the_nose_up_towards_the_eyes() -> None:
    level, up = projected_landmarks(0, 0, 0), projected_landmarks(0, 0, 20)
    nose_drop = up[LEFT_NOSTRIL, 1] - up[LEFT_EYE_OUTER, 1]
    assert nose_drop < level[LEFT_NOSTRIL, 1] - level[LEFT_EYE_OUTER, 1] - 5


def test_template_has_one_mesh_and_one_ibug_index_per_point() -> None:
    assert len(TEMPLATE_POINTS) == len(TEMPLATE_3D) == 14
    assert len(TEMPLATE_INDICES_MESH) == len(TEMPLATE_INDICES_68) == 14
    assert all(0 <= index < 468 for index in TEMPLATE_INDICES_MESH)
    assert all(0 <= index < 68 for index in TEMPLATE_INDICES_68)


def test_euler_split_of_the_identity_is_zero() -> None:
    assert euler_from_rotation(np.eye(3)) == Pose(roll=0.0, yaw=0.0, pitch=0.0)


def test_wrong_landmark_shape_is_rejected() -> None:
    with pytest.raises(ValueError, match="14, 2"):
        estimate_pose(np.zeros((68, 2)), WIDTH, HEIGHT)


def test_frontal_portrait_is_near_zero(
    detector: BlazeFaceDetector, any_landmarker: Landmarker, shared_faces: Path
) -> None:
    rgb = load_rgb(shared_faces / "obama_1.jpg")
    pose = pose_of(detector.detect(rgb)[0], any_landmarker, rgb)
    assert abs(pose.roll) < 5
    assert abs(pose.yaw) < 5
    assert abs(pose.pitch) < 15


def test_face_turned_to_the_image_left_has_negative_yaw(
    detector: BlazeFaceDetector, any_landmarker: Landmarker, shared_faces: Path
) -> None:
    rgb = load_rgb(shared_faces / "harington_2.jpg")  # looks towards the left edge of the picture
    assert pose_of(detector.detect(rgb)[0], any_landmarker, rgb).yaw < -20


def test_mirroring_negates_yaw_and_roll_and_keeps_pitch(
    detector: BlazeFaceDetector, any_landmarker: Landmarker, zidane: RGB
) -> None:
    width = zidane.shape[1]
    flipped = mirrored(zidane)
    # Ancelotti, on the right of the picture, faces the camera turned by about 20 degrees.
    original = pose_of(nearest(detector.detect(zidane), 985), any_landmarker, zidane)
    mirror = pose_of(nearest(detector.detect(flipped), width - 985), any_landmarker, flipped)
    assert original.yaw > 15
    assert mirror.yaw == pytest.approx(-original.yaw, abs=3)
    assert abs(original.roll) > 3
    assert mirror.roll == pytest.approx(-original.roll, abs=3)
    assert mirror.pitch == pytest.approx(original.pitch, abs=3)


def test_mirroring_a_rolled_face_negates_its_roll(
    detector: BlazeFaceDetector, any_landmarker: Landmarker, shared_faces: Path
) -> None:
    rgb = load_rgb(shared_faces / "harington_3.jpg")
    original = pose_of(detector.detect(rgb)[0], any_landmarker, rgb)
    mirror = pose_of(detector.detect(mirrored(rgb))[0], any_landmarker, mirrored(rgb))
    assert original.roll < -5
    assert mirror.roll == pytest.approx(-original.roll, abs=2)
    assert mirror.yaw == pytest.approx(-original.yaw, abs=3)
    assert mirror.pitch == pytest.approx(original.pitch, abs=3)


@pytest.mark.parametrize("angle", [-30, 30])
def test_rolling_the_picture_changes_roll_only(
    detector: BlazeFaceDetector, any_landmarker: Landmarker, astronaut: RGB, angle: int
) -> None:
    upright = pose_of(detector.detect(astronaut)[0], any_landmarker, astronaut)
    warp = cv2.getRotationMatrix2D((220.0, 125.0), angle, 1.0)  # counter-clockwise on screen for angle > 0
    rolled_rgb = cv2.warpAffine(astronaut, warp, (512, 512), borderMode=cv2.BORDER_REFLECT)
    rolled = pose_of(detector.detect(rolled_rgb)[0], any_landmarker, rolled_rgb)
    assert rolled.roll == pytest.approx(upright.roll - angle, abs=4)
    assert rolled.yaw == pytest.approx(upright.yaw, abs=4)
    assert rolled.pitch == pytest.approx(upright.pitch, abs=4)
