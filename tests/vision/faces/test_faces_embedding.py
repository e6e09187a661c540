"""dlib ResNet face embeddings on 5-point aligned BlazeFace detections."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from argus.vision.faces.blazeface import BlazeFaceDetector
from argus.vision.faces.embedding import EMBEDDING_DIM, EMBEDDING_MODEL, FaceEmbedder, roll_degrees
from tests.vision.conftest import RGB


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder.from_files()


def rotated(rgb: RGB, degrees: float) -> RGB:
    height, width = rgb.shape[:2]
    warp = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return np.ascontiguousarray(cv2.warpAffine(rgb, warp, (width, height), borderMode=cv2.BORDER_REFLECT))


def test_model_constants() -> None:
    assert EMBEDDING_DIM == 128
    assert EMBEDDING_MODEL == "dlib-resnet-v1"


def test_embeddings_are_unit_float32_rows_of_128(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, zidane: RGB
) -> None:
    faces = detector.detect(zidane)
    assert len(faces) == 2
    vectors = embedder.embed(zidane, [face.box for face in faces])
    assert vectors.shape == (2, 128)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), [1.0, 1.0], atol=1e-6)


def test_no_boxes_give_an_empty_array(embedder: FaceEmbedder, astronaut: RGB) -> None:
    vectors = embedder.embed(astronaut, [])
    assert vectors.shape == (0, 128)
    assert vectors.dtype == np.float32


def test_batched_equals_one_by_one(embedder: FaceEmbedder, detector: BlazeFaceDetector, zidane: RGB) -> None:
    faces = detector.detect(zidane)
    batched = embedder.embed_faces(zidane, faces)
    singles = np.concatenate([embedder.embed_faces(zidane, [face]) for face in faces])
    np.testing.assert_allclose(batched, singles, atol=1e-5)


def test_the_same_box_gives_the_same_embedding(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB
) -> None:
    box = detector.detect(astronaut)[0].box
    np.testing.assert_array_equal(embedder.embed(astronaut, [box]), embedder.embed(astronaut, [box]))


def test_five_points_sit_on_the_astronaut_eyes_and_nose(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB
) -> None:
    points = embedder.landmarks5(astronaut, detector.detect(astronaut)[0].box)
    # Her pupils are at about (203, 101) and (246, 104) in the 512x512 picture (read off a 4x zoom).
    # Points 0-1 are the corners of her left eye (image right), 2-3 of her right eye, 4 the nose base.
    assert tuple(points[0:2].mean(axis=0)) == pytest.approx((246, 104), abs=6)
    assert tuple(points[2:4].mean(axis=0)) == pytest.approx((203, 101), abs=6)
    assert points[2:4, 0].mean() < points[4, 0] < points[0:2, 0].mean()
    assert points[4, 1] > points[:4, 1].max()


def test_roll_of_level_and_tilted_eyes() -> None:
    assert roll_degrees(((100.0, 50.0), (150.0, 50.0))) == 0.0
    assert roll_degrees(((100.0, 50.0), (150.0, 100.0))) == pytest.approx(45.0)


def test_eye_keypoints_undo_a_90_degree_roll(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB
) -> None:
    upright = embedder.embed_faces(astronaut, detector.detect(astronaut)[:1])[0]
    turned = rotated(astronaut, 90)
    face = max(detector.detect(turned), key=lambda f: f.width)
    vector = embedder.embed_faces(turned, [face])[0]
    assert float(np.linalg.norm(vector - upright)) < 0.15


def test_wrong_image_type_is_refused(embedder: FaceEmbedder, astronaut: RGB) -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        embedder.embed(astronaut.astype(np.float32), [(200.0, 60.0, 300.0, 160.0)])


def test_eye_count_must_match_box_count(embedder: FaceEmbedder, astronaut: RGB) -> None:
    with pytest.raises(ValueError, match="eye pairs"):
        embedder.embed(astronaut, [(200.0, 60.0, 300.0, 160.0)], eyes=[])


def test_empty_box_is_refused(embedder: FaceEmbedder, astronaut: RGB) -> None:
    with pytest.raises(ValueError, match="empty face box"):
        embedder.embed(astronaut, [(200.0, 60.0, 200.0, 60.0)])
