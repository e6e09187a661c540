"""BlazePose: MediaPipe's anchors and ROI, and persons found on real photos."""

from __future__ import annotations

import math

import numpy as np
import pytest

from argus.vision.ppe.persons import PersonFinder, detection_from_face
from argus.vision.ppe.pose import (
    LANDMARK_NAMES,
    PersonDetection,
    PoseDetector,
    detection_roi,
    ssd_anchor_centres,
)
from tests.vision.conftest import RGB

# The astronaut's face spans about x 175-265, y 75-170 of the 512x512 picture.
ASTRONAUT_FACE = (175.0, 75.0, 265.0, 170.0)


def test_pose_detector_has_mediapipes_2254_anchors_in_output_order() -> None:
    anchors = ssd_anchor_centres(224, (8, 16, 32, 32, 32))
    assert anchors.shape == (2254, 2)
    assert anchors[0] == pytest.approx([0.5 / 28, 0.5 / 28])
    assert anchors[1] == pytest.approx([0.5 / 28, 0.5 / 28])  # two anchors per cell and layer
    assert anchors[2] == pytest.approx([1.5 / 28, 0.5 / 28])
    assert anchors[28 * 28 * 2] == pytest.approx([0.5 / 14, 0.5 / 14])
    assert anchors[-1] == pytest.approx([6.5 / 7, 6.5 / 7])  # three stride-32 layers share the 7x7 grid


def test_roi_of_an_upright_body_is_unrotated_and_2_5_times_the_radius() -> None:
    detection = PersonDetection(
        face_box=(0.0, 0.0, 1.0, 1.0),
        score=0.9,
        keypoints=np.array([[100.0, 300.0], [100.0, 100.0], [0, 0], [0, 0]]),
    )
    roi = detection_roi(detection)
    assert (roi.centre_x, roi.centre_y) == (100.0, 300.0)
    assert roi.side == pytest.approx(2 * 1.25 * 200.0)
    assert roi.angle == pytest.approx(0.0)


def test_roi_of_a_body_lying_head_right_is_turned_a_quarter() -> None:
    detection = PersonDetection(
        face_box=(0.0, 0.0, 1.0, 1.0),
        score=0.9,
        keypoints=np.array([[100.0, 300.0], [300.0, 300.0], [0, 0], [0, 0]]),
    )
    assert detection_roi(detection).angle == pytest.approx(math.pi / 2)


def test_astronaut_landmarks_put_her_nose_in_her_face(poses: PoseDetector, astronaut: RGB) -> None:
    found = poses.poses(astronaut)
    assert len(found) == 1
    x, y = found[0].point("nose")
    assert ASTRONAUT_FACE[0] < x < ASTRONAUT_FACE[2]
    assert ASTRONAUT_FACE[1] < y < ASTRONAUT_FACE[3]
    assert found[0].points.shape == (len(LANDMARK_NAMES), 2)


def test_person_made_up_from_an_upright_face_has_hips_below_it() -> None:
    from argus.vision.faces.blazeface import DetectedFace

    face = DetectedFace(
        box=(100.0, 100.0, 140.0, 140.0),
        score=0.8,
        keypoints=np.array([[110.0, 115.0], [130.0, 115.0], [120, 125], [120, 132], [102, 118], [138, 118]]),
    )
    detection = detection_from_face(face)
    hips, scale_point = detection.keypoints[0], detection.keypoints[1]
    assert hips[0] == pytest.approx(120.0)
    assert hips[1] == pytest.approx(120.0 + 3.5 * 40.0)
    assert scale_point[1] < hips[1]
    assert detection_roi(detection).angle == pytest.approx(0.0)


def test_zidane_has_both_men_though_the_pose_detector_alone_finds_one(
    poses: PoseDetector, ppe_finder: PersonFinder, zidane: RGB
) -> None:
    assert len(poses.poses(zidane)) == 1  # MediaPipe's detector is built for one dominant person
    persons = ppe_finder.find(zidane)
    assert len(persons) == 2
    noses = sorted(person.pose.point("nose")[0] for person in persons)
    assert noses[0] < 640 < noses[1]  # one man on each side of the frame


def test_persons_are_largest_first(ppe_finder: PersonFinder, bus: RGB) -> None:
    persons = ppe_finder.find(bus)
    assert len(persons) >= 2
    areas = [person.area for person in persons]
    assert areas == sorted(areas, reverse=True)


def test_picture_without_people_has_no_person(ppe_finder: PersonFinder, coffee: RGB) -> None:
    assert ppe_finder.find(coffee) == []
