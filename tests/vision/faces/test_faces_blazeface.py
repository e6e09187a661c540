"""BlazeFace full-range detector: MediaPipe decoding and detections on real photos."""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from argus.vision.faces.analyzer import DETECTOR_FILE
from argus.vision.faces.blazeface import BlazeFaceDetector, letterbox, ssd_anchors, weighted_nms
from tests.vision.conftest import RGB, load_rgb


def centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def test_anchors_are_the_centres_of_a_48x48_grid() -> None:
    anchors = ssd_anchors()
    assert anchors.shape == (2304, 2)
    assert anchors[0] == pytest.approx([0.5 / 48, 0.5 / 48])
    assert anchors[1] == pytest.approx([1.5 / 48, 0.5 / 48])  # row-major: x varies fastest
    assert anchors[48] == pytest.approx([0.5 / 48, 1.5 / 48])
    assert anchors[-1] == pytest.approx([47.5 / 48, 47.5 / 48])


def test_letterbox_keeps_aspect_ratio_and_pads_evenly_with_black() -> None:
    white = np.full((100, 200, 3), 255, dtype=np.uint8)
    tensor, pads = letterbox(white)
    assert tensor.shape == (192, 192, 3)
    assert tensor.dtype == np.float32
    assert (pads.pad_left, pads.pad_top, pads.pad_right, pads.pad_bottom) == (0.0, 0.25, 0.0, 0.25)
    assert tensor[:48].max() == -1.0 and tensor[144:].max() == -1.0  # padding is black
    assert tensor[48:144].min() == 1.0  # white maps to +1


def test_letterbox_removal_maps_the_content_back_to_the_unit_square() -> None:
    _, pads = letterbox(np.zeros((100, 200, 3), dtype=np.uint8))
    x, y = pads.remove(np.array([0.0, 0.5, 1.0]), np.array([0.25, 0.5, 0.75]))
    assert x.tolist() == [0.0, 0.5, 1.0]
    assert y.tolist() == [0.0, 0.5, 1.0]


def test_weighted_nms_blends_overlapping_detections_by_score() -> None:
    boxes = np.array([[0.0, 0.0, 1.0, 1.0], [0.1, 0.0, 1.1, 1.0], [5.0, 5.0, 6.0, 6.0]])
    keypoints = np.array([[[0.0, 0.0]], [[1.0, 1.0]], [[5.5, 5.5]]])
    scores = np.array([0.75, 0.25, 0.6])
    merged = weighted_nms(boxes, keypoints, scores, iou_threshold=0.3)
    assert len(merged) == 2
    box, points, score = merged[0]
    assert score == 0.75  # the group keeps its best score
    assert box.tolist() == pytest.approx([0.025, 0.0, 1.025, 1.0])  # 0.75 * 0 + 0.25 * 0.1
    assert points.ravel().tolist() == pytest.approx([0.25, 0.25])
    assert merged[1][2] == 0.6
    assert merged[1][0].tolist() == [5.0, 5.0, 6.0, 6.0]


def test_astronaut_has_one_face_where_her_face_is(detector: BlazeFaceDetector, astronaut: RGB) -> None:
    faces = detector.detect(astronaut)
    assert len(faces) == 1
    x, y = centre(faces[0].box)
    assert 175 < x < 265
    assert 75 < y < 170
    assert faces[0].score > 0.85


def test_keypoints_are_right_eye_left_eye_nose_mouth_ears(
    detector: BlazeFaceDetector, astronaut: RGB
) -> None:
    points = detector.detect(astronaut)[0].keypoints
    assert points.shape == (6, 2)
    right_eye, left_eye, nose, mouth, right_ear, left_ear = points
    assert right_eye[0] < nose[0] < left_eye[0]  # the subject's right eye is on the image's left
    assert max(right_eye[1], left_eye[1]) < nose[1] < mouth[1]
    assert right_ear[0] < right_eye[0] and left_eye[0] < left_ear[0]


def test_zidane_has_both_men(detector: BlazeFaceDetector, zidane: RGB) -> None:
    faces = detector.detect(zidane)
    assert len(faces) == 2
    xs = sorted(centre(face.box)[0] for face in faces)
    assert 500 < xs[0] < 700  # Zidane, head down on the left
    assert 880 < xs[1] < 1100  # Ancelotti on the right


def test_bus_finds_the_two_men_in_front(detector: BlazeFaceDetector, bus: RGB) -> None:
    faces = detector.detect(bus)
    assert len(faces) == 2
    for face in faces:
        x, y = centre(face.box)
        assert 50 < x < 400
        assert 380 < y < 500


def test_coffee_has_no_face(detector: BlazeFaceDetector, coffee: RGB) -> None:
    assert detector.detect(coffee) == []


def test_black_image_has_no_face(detector: BlazeFaceDetector) -> None:
    assert detector.detect(np.zeros((480, 640, 3), dtype=np.uint8)) == []


def test_min_score_drops_weaker_detections(mediapipe_dir: Path, astronaut: RGB) -> None:
    strict = BlazeFaceDetector(mediapipe_dir / DETECTOR_FILE, min_score=0.95)
    assert strict.detect(astronaut) == []


def test_min_score_outside_0_1_is_rejected(mediapipe_dir: Path) -> None:
    with pytest.raises(ValueError, match="min_score"):
        BlazeFaceDetector(mediapipe_dir / DETECTOR_FILE, min_score=1.5)


def test_grayscale_input_is_rejected(detector: BlazeFaceDetector) -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        detector.detect(np.zeros((64, 64), dtype=np.uint8))


def test_partial_face_box_may_extend_past_the_border(detector: BlazeFaceDetector, shared_faces: Path) -> None:
    faces = detector.detect(load_rgb(shared_faces / "obama_7_partial.jpg"))
    assert len(faces) == 1
    assert faces[0].box[0] < 0  # the face is cut by the left edge


def test_group_obama_biden_has_two_faces(detector: BlazeFaceDetector, shared_faces: Path) -> None:
    assert len(detector.detect(load_rgb(shared_faces / "group_obama_biden.jpg"))) == 2


def test_group_harington_leslie_has_two_faces(detector: BlazeFaceDetector, shared_faces: Path) -> None:
    assert len(detector.detect(load_rgb(shared_faces / "group_harington_leslie.jpg"))) == 2


def test_every_shared_photo_has_at_least_its_listed_faces(
    detector: BlazeFaceDetector, shared_faces: Path
) -> None:
    with (shared_faces / "identities.csv").open(newline="") as table:
        rows = list(csv.DictReader(table))
    assert len(rows) >= 20
    counts = {row["file"]: len(detector.detect(load_rgb(shared_faces / row["file"]))) for row in rows}
    short = {row["file"]: counts[row["file"]] for row in rows if counts[row["file"]] < int(row["min_faces"])}
    assert short == {}


def test_concurrent_calls_give_identical_results(
    detector: BlazeFaceDetector, zidane: RGB, astronaut: RGB
) -> None:
    images = [zidane, astronaut] * 8
    expected = [[(face.box, face.score) for face in detector.detect(image)] for image in images[:2]] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(detector.detect, images))
    assert [[(face.box, face.score) for face in faces] for faces in results] == expected
