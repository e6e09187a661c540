"""FaceAnalyzer.detect_faces: Rekognition FaceDetail dicts from real photos.

``analyzer`` here is the default pipeline (BlazeFace + MediaPipe face mesh); it overrides the dlib-based
fixture of tests/vision/conftest.py, which stays available as the opt-in path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from argus.core.models.files import ModelFileMissing
from argus.vision.faces.analyzer import DETECTOR_FILE, MAX_FACES, MESH_FILE, FaceAnalyzer
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace
from argus.vision.faces.landmarks import ALL_LANDMARK_TYPES, DlibLandmarker
from argus.vision.faces.mesh import FaceMeshLandmarker
from tests.vision.conftest import RGB, load_rgb

DEFAULT = frozenset({"DEFAULT"})
ALL = frozenset({"ALL"})
FACE_DETAIL_KEYS = {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"}


@pytest.fixture(scope="module")
def mesh_landmarker(mediapipe_dir: Path) -> FaceMeshLandmarker:
    return FaceMeshLandmarker(mediapipe_dir / MESH_FILE)


@pytest.fixture(scope="module")
def analyzer(detector: BlazeFaceDetector, mesh_landmarker: FaceMeshLandmarker) -> FaceAnalyzer:
    return FaceAnalyzer(detector, mesh_landmarker)


def box_centre(face: dict[str, Any]) -> tuple[float, float]:
    box = face["BoundingBox"]
    return box["Left"] + box["Width"] / 2, box["Top"] + box["Height"] / 2


def landmark(face: dict[str, Any], kind: str) -> tuple[float, float]:
    (found,) = [item for item in face["Landmarks"] if item["Type"] == kind]
    return found["X"], found["Y"]


def numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [number for item in value.values() for number in numbers(item)]
    if isinstance(value, list):
        return [number for item in value for number in numbers(item)]
    return [] if isinstance(value, str) else [value]


def iou(face: dict[str, Any], left: float, top: float, right: float, bottom: float) -> float:
    box = face["BoundingBox"]
    x0, y0 = max(box["Left"], left), max(box["Top"], top)
    x1, y1 = min(box["Left"] + box["Width"], right), min(box["Top"] + box["Height"], bottom)
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return inter / (box["Width"] * box["Height"] + (right - left) * (bottom - top) - inter)


def test_default_face_detail_has_box_confidence_landmarks_pose_quality(
    analyzer: FaceAnalyzer, astronaut: RGB
) -> None:
    (face,) = analyzer.detect_faces(astronaut, DEFAULT)
    assert set(face) == FACE_DETAIL_KEYS
    assert set(face["BoundingBox"]) == {"Width", "Height", "Left", "Top"}
    assert set(face["Pose"]) == {"Roll", "Yaw", "Pitch"}
    assert set(face["Quality"]) == {"Brightness", "Sharpness"}


def test_default_has_exactly_the_five_default_landmarks(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, DEFAULT)
    assert [item["Type"] for item in face["Landmarks"]] == [
        "eyeLeft",
        "eyeRight",
        "mouthLeft",
        "mouthRight",
        "nose",
    ]


def test_all_has_the_30_landmark_types_and_nothing_invented(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, ALL)
    assert [item["Type"] for item in face["Landmarks"]] == list(ALL_LANDMARK_TYPES)
    assert set(face) == FACE_DETAIL_KEYS  # no AgeRange, Emotions, ... until real models give them


def test_all_alongside_other_attributes_still_means_all(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, frozenset({"ALL", "DEFAULT"}))
    assert len(face["Landmarks"]) == 30


def test_output_is_plain_json_floats(analyzer: FaceAnalyzer, zidane: RGB) -> None:
    faces = analyzer.detect_faces(zidane, ALL)
    values = numbers(faces)
    assert len(values) == 2 * (4 + 1 + 30 * 2 + 3 + 2)
    assert {type(value) for value in values} == {float}
    assert json.loads(json.dumps(faces)) == faces


def test_astronaut_box_covers_her_face(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, DEFAULT)
    # Her face spans about x 175-265, y 75-170 of the 512x512 picture.
    assert iou(face, 175 / 512, 75 / 512, 265 / 512, 170 / 512) > 0.6
    assert face["Confidence"] > 85


def test_eye_left_is_the_eye_on_the_image_left(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, DEFAULT)
    assert landmark(face, "eyeLeft")[0] < landmark(face, "nose")[0] < landmark(face, "eyeRight")[0]
    assert landmark(face, "mouthLeft")[0] < landmark(face, "mouthRight")[0]


def test_astronaut_eyes_are_where_her_eyes_are(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, DEFAULT)
    # Her pupils are at about (203, 101) and (246, 104) in the 512x512 picture (read off a 4x zoom).
    assert np.multiply(landmark(face, "eyeLeft"), 512) == pytest.approx((203, 101), abs=4)
    assert np.multiply(landmark(face, "eyeRight"), 512) == pytest.approx((246, 104), abs=4)


def test_landmarks_are_ratios_inside_the_box(analyzer: FaceAnalyzer, astronaut: RGB) -> None:
    (face,) = analyzer.detect_faces(astronaut, ALL)
    box = face["BoundingBox"]
    for item in face["Landmarks"]:
        assert box["Left"] <= item["X"] <= box["Left"] + box["Width"], item["Type"]
        assert box["Top"] <= item["Y"] <= box["Top"] + box["Height"], item["Type"]


def test_group_photo_landmarks_lie_in_their_own_box(analyzer: FaceAnalyzer, shared_faces: Path) -> None:
    faces = analyzer.detect_faces(load_rgb(shared_faces / "group_obama_biden.jpg"), DEFAULT)
    assert len(faces) == 2
    for face in faces:
        box = face["BoundingBox"]
        for item in face["Landmarks"]:
            assert box["Left"] < item["X"] < box["Left"] + box["Width"], item["Type"]
            assert box["Top"] < item["Y"] < box["Top"] + box["Height"], item["Type"]


def test_zidane_has_both_men_one_on_each_side(analyzer: FaceAnalyzer, zidane: RGB) -> None:
    faces = analyzer.detect_faces(zidane, DEFAULT)
    assert len(faces) == 2
    centres = sorted(box_centre(face)[0] for face in faces)
    assert centres[0] < 0.5 < centres[1]


def test_faces_are_largest_first(analyzer: FaceAnalyzer, shared_faces: Path) -> None:
    faces = analyzer.detect_faces(load_rgb(shared_faces / "group_harington_leslie.jpg"), DEFAULT)
    areas = [face["BoundingBox"]["Width"] * face["BoundingBox"]["Height"] for face in faces]
    assert len(areas) == 2
    assert areas[0] > areas[1]


def test_picture_without_people_has_no_face(analyzer: FaceAnalyzer, coffee: RGB) -> None:
    assert analyzer.detect_faces(coffee, ALL) == []


def test_group_obama_biden_has_two_faces(analyzer: FaceAnalyzer, shared_faces: Path) -> None:
    assert len(analyzer.detect_faces(load_rgb(shared_faces / "group_obama_biden.jpg"), DEFAULT)) == 2


def test_group_two_people_has_two_faces(analyzer: FaceAnalyzer, shared_faces: Path) -> None:
    assert len(analyzer.detect_faces(load_rgb(shared_faces / "group_two_people.jpg"), DEFAULT)) == 2


def test_face_cut_by_the_edge_may_start_left_of_the_image(analyzer: FaceAnalyzer, shared_faces: Path) -> None:
    (face,) = analyzer.detect_faces(load_rgb(shared_faces / "obama_7_partial.jpg"), DEFAULT)
    assert -0.25 <= face["BoundingBox"]["Left"] < 0


class ManyFaces:
    """Stands in for the detector: 150 faces of growing size, to check the cap and the order."""

    def detect(self, rgb: RGB) -> list[DetectedFace]:
        faces = []
        for index in range(150):
            x, y, side = 30.0 * (index % 15), 30.0 * (index // 15), 10.0 + index * 0.1
            keypoints = np.array(
                [[x + 3, y + 4], [x + 7, y + 4], [x + 5, y + 6], [x + 5, y + 8], [x, y + 5], [x + 10, y + 5]]
            )
            faces.append(DetectedFace(box=(x, y, x + side, y + side), score=0.9, keypoints=keypoints))
        return faces


def test_at_most_100_faces_are_kept_largest_first(
    mesh_landmarker: FaceMeshLandmarker, astronaut: RGB
) -> None:
    analyzer = FaceAnalyzer(ManyFaces(), mesh_landmarker)  # type: ignore[arg-type]
    faces = analyzer.detect_faces(astronaut, DEFAULT)
    assert MAX_FACES == 100
    assert len(faces) == 100
    widths = [face["BoundingBox"]["Width"] for face in faces]
    assert widths == sorted(widths, reverse=True)
    assert widths[0] == pytest.approx((10.0 + 149 * 0.1) / 512)


def test_from_files_without_the_detector_model_says_how_to_fetch_it(tmp_path: Path) -> None:
    with pytest.raises(ModelFileMissing, match="argus models fetch"):
        FaceAnalyzer.from_files(tmp_path)


def test_from_files_without_the_mesh_model_says_how_to_fetch_it(mediapipe_dir: Path, tmp_path: Path) -> None:
    (tmp_path / DETECTOR_FILE).symlink_to(mediapipe_dir / DETECTOR_FILE)
    with pytest.raises(ModelFileMissing, match=r"face_landmark\.tflite is missing; run `argus models fetch`"):
        FaceAnalyzer.from_files(tmp_path)


def test_from_files_loads_a_working_analyzer_with_the_face_mesh(mediapipe_dir: Path, astronaut: RGB) -> None:
    analyzer = FaceAnalyzer.from_files(mediapipe_dir)
    assert isinstance(analyzer.landmarker, FaceMeshLandmarker)
    assert len(analyzer.detect_faces(astronaut, DEFAULT)) == 1


def test_dlib_68_points_are_an_explicit_opt_in(mediapipe_dir: Path, astronaut: RGB) -> None:
    analyzer = FaceAnalyzer.from_files(mediapipe_dir, landmarks="dlib-68")
    assert isinstance(analyzer.landmarker, DlibLandmarker)
    (face,) = analyzer.detect_faces(astronaut, ALL)
    assert [item["Type"] for item in face["Landmarks"]] == list(ALL_LANDMARK_TYPES)
    assert landmark(face, "eyeLeft")[0] < landmark(face, "nose")[0] < landmark(face, "eyeRight")[0]


def test_unknown_landmark_model_is_rejected(mediapipe_dir: Path) -> None:
    with pytest.raises(ValueError, match="landmarks must be"):
        FaceAnalyzer.from_files(mediapipe_dir, landmarks="ibug")  # type: ignore[arg-type]


def test_the_default_pipeline_never_imports_dlib(mediapipe_dir: Path) -> None:
    script = (
        "import sys\n"
        "import numpy as np\n"
        "import skimage.data\n"
        "from pathlib import Path\n"
        "from argus.vision.faces.analyzer import FaceAnalyzer\n"
        f"analyzer = FaceAnalyzer.from_files(Path({str(mediapipe_dir)!r}))\n"
        "faces = analyzer.detect_faces(np.asarray(skimage.data.astronaut()), frozenset({'ALL'}))\n"
        "assert len(faces) == 1 and len(faces[0]['Landmarks']) == 30\n"
        "print('dlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_concurrent_calls_give_identical_face_details(
    analyzer: FaceAnalyzer, zidane: RGB, astronaut: RGB
) -> None:
    images = [zidane, astronaut] * 6
    expected = [analyzer.detect_faces(image, ALL) for image in images[:2]] * 6
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda image: analyzer.detect_faces(image, ALL), images))
    assert results == expected
