"""MediaPipe face mesh on BlazeFace detections: crop geometry, points on real faces, Rekognition names."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest

from argus.vision.faces.analyzer import DETECTOR_FILE, MESH_FILE
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.faces.landmarks import ALL_LANDMARK_TYPES, FaceLandmarks
from argus.vision.faces.mesh import (
    IMAGE_LEFT_EYE,
    IMAGE_RIGHT_EYE,
    INPUT_SIZE,
    NUM_POINTS,
    REKOGNITION_FROM_MESH,
    FaceMeshLandmarker,
    Roi,
    crop_face,
    face_roi,
    landmarks_roi,
    rekognition_points_from_mesh,
)
from argus.vision.faces.pose import TEMPLATE_INDICES_MESH
from tests.vision.conftest import RGB, load_rgb, mirrored

# Rekognition types swapped by a horizontal mirror (the others map onto themselves).
MIRROR_PAIRS = {
    "eyeLeft": "eyeRight",
    "mouthLeft": "mouthRight",
    "leftEyeBrowLeft": "rightEyeBrowRight",
    "leftEyeBrowRight": "rightEyeBrowLeft",
    "leftEyeBrowUp": "rightEyeBrowUp",
    "leftEyeLeft": "rightEyeRight",
    "leftEyeRight": "rightEyeLeft",
    "leftEyeUp": "rightEyeUp",
    "leftEyeDown": "rightEyeDown",
    "noseLeft": "noseRight",
    "leftPupil": "rightPupil",
    "upperJawlineLeft": "upperJawlineRight",
    "midJawlineLeft": "midJawlineRight",
}
MIRROR = {**MIRROR_PAIRS, **{b: a for a, b in MIRROR_PAIRS.items()}}


@pytest.fixture(scope="module")
def mesh_landmarker(mediapipe_dir: Path) -> FaceMeshLandmarker:
    return FaceMeshLandmarker(mediapipe_dir / MESH_FILE)


def face_at(
    box: tuple[float, float, float, float], right_eye: tuple[float, float], left_eye: tuple[float, float]
) -> DetectedFace:
    keypoints = np.zeros((6, 2))
    keypoints[0], keypoints[1] = right_eye, left_eye
    return DetectedFace(box=box, score=0.9, keypoints=keypoints)


def inter_ocular(named: dict[str, tuple[float, float]]) -> float:
    return math.dist(named["eyeLeft"], named["eyeRight"])


# --- the mapping ---------------------------------------------------------------------------------------


def test_every_rekognition_type_has_mesh_points_in_order() -> None:
    assert tuple(REKOGNITION_FROM_MESH) == ALL_LANDMARK_TYPES
    assert all(0 <= index < NUM_POINTS for indices in REKOGNITION_FROM_MESH.values() for index in indices)
    assert len(set(IMAGE_LEFT_EYE)) == len(set(IMAGE_RIGHT_EYE)) == 16
    assert not set(IMAGE_LEFT_EYE) & set(IMAGE_RIGHT_EYE)


def test_pupils_are_the_eye_contour_centres() -> None:
    assert REKOGNITION_FROM_MESH["leftPupil"] == REKOGNITION_FROM_MESH["eyeLeft"] == IMAGE_LEFT_EYE
    assert REKOGNITION_FROM_MESH["rightPupil"] == REKOGNITION_FROM_MESH["eyeRight"] == IMAGE_RIGHT_EYE


def test_pose_points_are_the_mesh_points_the_landmarks_use() -> None:
    # Eye corners, nostril wings, mouth corners and chin are shared by the pose fit and the landmarks.
    shared = {
        4: "leftEyeLeft", 5: "leftEyeRight", 6: "rightEyeLeft", 7: "rightEyeRight",
        8: "noseLeft", 9: "noseRight", 10: "mouthLeft", 11: "mouthRight", 12: "mouthDown", 13: "chinBottom",
        0: "leftEyeBrowLeft", 1: "leftEyeBrowRight", 2: "rightEyeBrowLeft", 3: "rightEyeBrowRight",
    }  # fmt: skip
    for position, name in shared.items():
        assert REKOGNITION_FROM_MESH[name] == (TEMPLATE_INDICES_MESH[position],), name


def test_rekognition_points_average_their_mesh_indices() -> None:
    points = np.stack([np.arange(468.0), np.arange(468.0) * 2, np.zeros(468)], axis=1)
    named = rekognition_points_from_mesh(points)
    assert named["nose"] == (4.0, 8.0)
    assert named["chinBottom"] == (152.0, 304.0)
    assert named["eyeLeft"] == pytest.approx((np.mean(IMAGE_LEFT_EYE), 2 * np.mean(IMAGE_LEFT_EYE)))
    assert rekognition_points_from_mesh(points[:, :2]) == named


def test_rekognition_points_reject_a_wrong_shape() -> None:
    with pytest.raises(ValueError, match="468"):
        rekognition_points_from_mesh(np.zeros((68, 2)))


# --- crop geometry ---------------------------------------------------------------------------------------


def test_roi_is_a_square_of_one_and_a_half_box_sides_turned_like_the_eyes() -> None:
    roi = face_roi(face_at((100.0, 50.0, 180.0, 150.0), right_eye=(120.0, 90.0), left_eye=(160.0, 130.0)))
    assert (roi.centre_x, roi.centre_y) == (140.0, 100.0)
    assert roi.side == 150.0  # 1.5 x the longer side (100)
    assert roi.angle == pytest.approx(math.radians(45))


def test_crop_corners_map_onto_the_rotated_square() -> None:
    roi = Roi(centre_x=100.0, centre_y=80.0, side=96.0, angle=math.radians(90))
    forward = roi.crop_to_image()
    corners = np.array([[0.0, 0.0], [INPUT_SIZE, 0.0], [INPUT_SIZE / 2, INPUT_SIZE / 2]])
    mapped = corners @ forward[:, :2].T + forward[:, 2]
    # Turned by 90 degrees clockwise on screen: the crop's top edge runs down the image.
    assert mapped.ravel().tolist() == pytest.approx([148.0, 32.0, 148.0, 128.0, 100.0, 80.0])


def test_upright_crop_of_the_same_size_is_the_image_slice() -> None:
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, size=(400, 300, 3), dtype=np.uint8)
    roi = Roi(centre_x=150.0, centre_y=200.0, side=float(INPUT_SIZE), angle=0.0)
    assert np.array_equal(crop_face(rgb, roi), rgb[104:296, 54:246])


def test_landmarks_roi_takes_the_box_in_the_faces_own_frame() -> None:
    # A 60 x 80 rectangle of points turned by 30 degrees, with the "eye corners" along its x axis.
    angle = math.radians(30)
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    local = np.random.default_rng(1).uniform([-30, -40], [30, 40], size=(NUM_POINTS, 2))
    local[:4] = [(-30, -40), (30, 40), (-30, 40), (30, -40)]
    local[33], local[263] = (-20, -10), (20, -10)
    points = local @ turn.T + (200.0, 150.0)
    roi = landmarks_roi(points)
    assert roi.angle == pytest.approx(angle)
    assert roi.side == pytest.approx(1.5 * 80)
    assert (roi.centre_x, roi.centre_y) == pytest.approx((200.0, 150.0))


# --- the model ------------------------------------------------------------------------------------------


def test_a_model_that_is_not_the_face_mesh_is_rejected(mediapipe_dir: Path) -> None:
    with pytest.raises(ValueError, match=r"192x192 face landmark|468"):
        FaceMeshLandmarker(mediapipe_dir / DETECTOR_FILE)


def test_a_missing_model_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        FaceMeshLandmarker(tmp_path / MESH_FILE)


def test_astronaut_mesh_is_468_3d_points_of_a_present_face(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, astronaut: RGB
) -> None:
    face = detector.detect(astronaut)[0]
    mesh = mesh_landmarker.mesh(astronaut, face)
    assert mesh.points.shape == (468, 3)
    assert mesh.presence > 0.99
    assert mesh.present
    left, top, right, bottom = face.box
    inside = (
        (mesh.points[:, 0] > left - 0.1 * face.width)
        & (mesh.points[:, 0] < right + 0.1 * face.width)
        & (mesh.points[:, 1] > top - 0.1 * face.height)
        & (mesh.points[:, 1] < bottom + 0.2 * face.height)
    )
    assert inside.all()
    # The nose tip is nearer the camera than the face's outline beside the eyes.
    assert mesh.points[4, 2] < mesh.points[234, 2] and mesh.points[4, 2] < mesh.points[454, 2]


def test_a_crop_without_a_face_has_a_low_presence(mesh_landmarker: FaceMeshLandmarker, coffee: RGB) -> None:
    fake = face_at((100.0, 100.0, 250.0, 250.0), right_eye=(140.0, 150.0), left_eye=(210.0, 150.0))
    found = mesh_landmarker.mesh(coffee, fake)
    assert found.presence < 0.1
    assert not found.present


def test_astronaut_points_fall_on_her_eyes_nose_mouth_and_chin(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, astronaut: RGB
) -> None:
    points = mesh_landmarker.mesh(astronaut, detector.detect(astronaut)[0]).points
    # Read off a 6x zoom of the 512x512 picture: her image-left eye spans about x 192-212, y 97-106, the
    # other x 236-258, y 100-108; mouth corners (203, 141) and (244, 142); nose tip (225, 127); chin
    # bottom (225, 177).
    left_eye, right_eye = points[list(IMAGE_LEFT_EYE), :2], points[list(IMAGE_RIGHT_EYE), :2]
    assert (left_eye.min(axis=0) > (189, 94)).all() and (left_eye.max(axis=0) < (215, 109)).all()
    assert (right_eye.min(axis=0) > (233, 97)).all() and (right_eye.max(axis=0) < (261, 111)).all()
    named = rekognition_points_from_mesh(points)
    assert named["eyeLeft"] == pytest.approx((203, 101), abs=3)
    assert named["eyeRight"] == pytest.approx((246, 104), abs=3)
    assert named["mouthLeft"] == pytest.approx((203, 141), abs=4)
    assert named["mouthRight"] == pytest.approx((244, 142), abs=4)
    assert named["nose"] == pytest.approx((225, 127), abs=5)
    assert named["chinBottom"] == pytest.approx((225, 177), abs=5)


def test_astronaut_landmarks_are_in_anatomical_order(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, astronaut: RGB
) -> None:
    found = mesh_landmarker.face_landmarks(astronaut, detector.detect(astronaut)[0])
    assert isinstance(found, FaceLandmarks)
    named = found.points
    assert tuple(named) == ALL_LANDMARK_TYPES
    assert named["eyeLeft"][0] < named["nose"][0] < named["eyeRight"][0]
    assert named["mouthLeft"][0] < named["mouthUp"][0] < named["mouthRight"][0]
    assert named["noseLeft"][0] < named["nose"][0] < named["noseRight"][0]
    assert named["leftEyeBrowUp"][1] < named["eyeLeft"][1] < named["nose"][1] < named["mouthUp"][1]
    assert named["leftEyeUp"][1] < named["leftPupil"][1] < named["leftEyeDown"][1]
    assert named["rightEyeUp"][1] < named["rightPupil"][1] < named["rightEyeDown"][1]
    assert named["mouthUp"][1] < named["mouthDown"][1] < named["chinBottom"][1]
    assert named["leftEyeBrowLeft"][0] < named["leftEyeBrowUp"][0] < named["leftEyeBrowRight"][0]
    assert named["leftEyeBrowRight"][0] < named["rightEyeBrowLeft"][0]
    assert named["rightEyeBrowLeft"][0] < named["rightEyeBrowUp"][0] < named["rightEyeBrowRight"][0]
    assert named["leftEyeLeft"][0] < named["leftEyeRight"][0] < named["rightEyeLeft"][0]
    assert named["rightEyeLeft"][0] < named["rightEyeRight"][0]
    assert named["upperJawlineLeft"][0] < named["midJawlineLeft"][0] < named["chinBottom"][0]
    assert named["chinBottom"][0] < named["midJawlineRight"][0] < named["upperJawlineRight"][0]
    assert found.pose_points.shape == (14, 2)


@pytest.mark.parametrize("photo", ["astronaut", "obama_1.jpg", "harington_3.jpg", "group_two_people.jpg"])
def test_mirrored_face_gives_the_mirrored_landmarks(
    detector: BlazeFaceDetector,
    mesh_landmarker: FaceMeshLandmarker,
    astronaut: RGB,
    request: pytest.FixtureRequest,
    photo: str,
) -> None:
    rgb = astronaut if photo == "astronaut" else load_rgb(request.getfixturevalue("shared_faces") / photo)
    width = rgb.shape[1]
    flipped = mirrored(rgb)
    for face in detector.detect(rgb):
        centre = (face.box[0] + face.box[2]) / 2
        twin = min(
            detector.detect(flipped),
            key=lambda other: abs(width - (other.box[0] + other.box[2]) / 2 - centre),
        )
        original = mesh_landmarker.face_landmarks(rgb, face).points
        mirror = mesh_landmarker.face_landmarks(flipped, twin).points
        errors = []
        for name in ALL_LANDMARK_TYPES:
            x, y = mirror[MIRROR.get(name, name)]
            errors.append(math.dist((width - x, y), original[name]) / face.width)
        # e.g. the mirror's eyeLeft is the original's eyeRight, mirrored, within a few % of the face width
        assert float(np.mean(errors)) < 0.02, photo
        assert max(errors) < 0.05, photo


@pytest.mark.parametrize("angle", [-40, 40])
def test_landmarks_follow_a_face_rolled_by_40_degrees(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, astronaut: RGB, angle: int
) -> None:
    upright = mesh_landmarker.mesh(astronaut, detector.detect(astronaut)[0]).points[:, :2]
    warp = cv2.getRotationMatrix2D((220.0, 125.0), angle, 1.0)
    rolled = np.asarray(
        cv2.warpAffine(astronaut, warp, (512, 512), borderMode=cv2.BORDER_REFLECT), dtype=np.uint8
    )
    # OpenCV's matrix is in pixel-index coordinates; the mesh's are continuous (pixel i covers [i, i+1)).
    expected = (upright - 0.5) @ warp[:, :2].T + warp[:, 2] + 0.5
    found = mesh_landmarker.mesh(rolled, detector.detect(rolled)[0]).points[:, :2]
    mean_error = float(np.linalg.norm(found - expected, axis=1).mean())
    assert mean_error < 0.03 * inter_ocular(rekognition_points_from_mesh(upright))


def test_second_pass_stays_close_to_the_first(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, mediapipe_dir: Path, astronaut: RGB
) -> None:
    face = detector.detect(astronaut)[0]
    single = FaceMeshLandmarker(mediapipe_dir / MESH_FILE, refine=False).mesh(astronaut, face)
    refined = mesh_landmarker.mesh(astronaut, face)
    assert single.roi == face_roi(face)
    assert refined.roi == landmarks_roi(single.points)
    distance = np.linalg.norm(single.points[:, :2] - refined.points[:, :2], axis=1)
    assert float(distance.mean()) < 0.05 * inter_ocular(rekognition_points_from_mesh(single.points))


def test_landmarks_are_pixel_coordinates_of_the_whole_image(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, zidane: RGB
) -> None:
    for face in detector.detect(zidane):
        named = mesh_landmarker.face_landmarks(zidane, face).points
        centre = np.mean(
            [named[name] for name in ("eyeLeft", "eyeRight", "nose", "mouthLeft", "mouthRight")], axis=0
        )
        assert face.box[0] < centre[0] < face.box[2]
        assert face.box[1] < centre[1] < face.box[3]


def test_concurrent_calls_give_identical_meshes(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, zidane: RGB, astronaut: RGB
) -> None:
    jobs = [(image, face) for image in (zidane, astronaut) for face in detector.detect(image)] * 4
    expected = [mesh_landmarker.mesh(image, face).points for image, face in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: mesh_landmarker.mesh(*job).points, jobs))
    assert all(np.array_equal(a, b) for a, b in zip(results, expected, strict=True))


def test_a_non_rgb_image_is_rejected(
    detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker, astronaut: RGB
) -> None:
    face = detector.detect(astronaut)[0]
    with pytest.raises(ValueError, match="RGB uint8"):
        mesh_landmarker.mesh(astronaut[:, :, 0], face)
