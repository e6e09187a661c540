"""Calibrated 0-100 Similarity of face embeddings, on real photos."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

from argus.vision.faces.blazeface import BlazeFaceDetector
from argus.vision.faces.embedding import FaceEmbedder
from argus.vision.faces.similarity import (
    DISTANCE_AT_80,
    DISTANCE_AT_99,
    cosine_for_similarity,
    distance_for_similarity,
    similarities,
    similarity,
    similarity_from_cosine,
    similarity_from_distance,
)
from tests.vision.conftest import RGB, load_rgb, mirrored


@pytest.fixture(scope="module")
def embedder() -> FaceEmbedder:
    return FaceEmbedder.from_files()


def largest_face_vector(embedder: FaceEmbedder, detector: BlazeFaceDetector, rgb: RGB) -> NDArray[np.float32]:
    faces = detector.detect(rgb)
    assert faces, "no face found"
    face = max(faces, key=lambda f: f.width * f.height)
    return np.asarray(embedder.embed_faces(rgb, [face])[0], dtype=np.float32)


@pytest.fixture(scope="module")
def astronaut_vector(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB
) -> NDArray[np.float32]:
    return largest_face_vector(embedder, detector, astronaut)


def jpeg_roundtrip(rgb: RGB, quality: int) -> RGB:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))


def test_astronaut_vs_her_mirror_image_scores_at_least_90(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB, astronaut_vector: NDArray[np.float32]
) -> None:
    assert similarity(astronaut_vector, largest_face_vector(embedder, detector, mirrored(astronaut))) >= 90.0


def test_astronaut_vs_a_0_6x_rescale_scores_at_least_90(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB, astronaut_vector: NDArray[np.float32]
) -> None:
    small = np.asarray(cv2.resize(astronaut, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA), np.uint8)
    assert similarity(astronaut_vector, largest_face_vector(embedder, detector, small)) >= 90.0


def test_astronaut_vs_a_jpeg_q40_reencode_scores_at_least_90(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, astronaut: RGB, astronaut_vector: NDArray[np.float32]
) -> None:
    reencoded = jpeg_roundtrip(astronaut, 40)
    assert similarity(astronaut_vector, largest_face_vector(embedder, detector, reencoded)) >= 90.0


def test_ancelotti_and_zidane_score_below_80(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, zidane: RGB
) -> None:
    faces = detector.detect(zidane)
    assert len(faces) == 2
    first, second = embedder.embed_faces(zidane, faces)
    assert similarity(first, second) < 80.0


def test_obama_and_biden_score_below_80(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, shared_faces: Path
) -> None:
    obama = largest_face_vector(embedder, detector, load_rgb(shared_faces / "obama_1.jpg"))
    biden = largest_face_vector(embedder, detector, load_rgb(shared_faces / "biden_1.jpg"))
    assert similarity(obama, biden) < 80.0


def test_obama_in_two_different_photos_scores_at_least_80(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, shared_faces: Path
) -> None:
    first = largest_face_vector(embedder, detector, load_rgb(shared_faces / "obama_1.jpg"))
    second = largest_face_vector(embedder, detector, load_rgb(shared_faces / "obama_4.jpg"))
    assert similarity(first, second) >= 80.0


def test_similarity_is_symmetric(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, zidane: RGB, astronaut_vector: NDArray[np.float32]
) -> None:
    vectors = embedder.embed_faces(zidane, detector.detect(zidane))
    for vector in vectors:
        assert similarity(astronaut_vector, vector) == similarity(vector, astronaut_vector)


def test_identical_embeddings_score_100(astronaut_vector: NDArray[np.float32]) -> None:
    assert similarity(astronaut_vector, astronaut_vector) == pytest.approx(100.0, abs=1e-9)


def test_score_falls_strictly_as_the_distance_grows() -> None:
    distances = np.linspace(0.3, 0.6, 301)
    scores = similarity_from_distance(distances)
    assert np.all(np.diff(scores) < 0.0)
    whole = similarity_from_distance(np.linspace(0.0, 2.0, 2001))
    assert np.all(np.diff(whole) <= 0.0)
    assert whole[0] == pytest.approx(100.0) and whole[-1] == pytest.approx(0.0)


def test_score_is_80_and_99_at_the_documented_distances() -> None:
    assert float(similarity_from_distance(DISTANCE_AT_80)) == pytest.approx(80.0, abs=1e-9)
    assert float(similarity_from_distance(DISTANCE_AT_99)) == pytest.approx(99.0, abs=1e-9)
    assert DISTANCE_AT_99 < DISTANCE_AT_80


@pytest.mark.parametrize("score", [0.5, 10.0, 50.0, 80.0, 90.0, 99.0, 99.9])
def test_cosine_for_similarity_inverts_similarity(score: float) -> None:
    cosine = cosine_for_similarity(score)
    assert -1.0 <= cosine <= 1.0
    assert float(similarity_from_cosine(cosine)) == pytest.approx(score, abs=1e-9)
    assert float(similarity_from_cosine(cosine + 1e-6)) > score > float(similarity_from_cosine(cosine - 1e-6))


def test_cosine_for_similarity_at_the_ends() -> None:
    assert cosine_for_similarity(100.0) == 1.0
    assert cosine_for_similarity(0.0) == -1.0
    assert distance_for_similarity(0.0) == float("inf")


def test_cosine_for_80_matches_the_distance_at_80() -> None:
    assert cosine_for_similarity(80.0) == pytest.approx(1.0 - DISTANCE_AT_80**2 / 2.0, abs=1e-12)


def test_similarities_equals_similarity_row_by_row(
    embedder: FaceEmbedder, detector: BlazeFaceDetector, zidane: RGB, astronaut_vector: NDArray[np.float32]
) -> None:
    matrix = np.vstack([embedder.embed_faces(zidane, detector.detect(zidane)), astronaut_vector])
    scores = similarities(astronaut_vector, matrix)
    assert scores.shape == (3,)
    np.testing.assert_allclose(scores, [similarity(astronaut_vector, row) for row in matrix], atol=1e-9)
    assert similarities(matrix, matrix).shape == (3, 3)


def test_similarities_of_an_empty_matrix(astronaut_vector: NDArray[np.float32]) -> None:
    assert similarities(astronaut_vector, np.zeros((0, 128), np.float32)).shape == (0,)


def test_zero_vector_is_refused(astronaut_vector: NDArray[np.float32]) -> None:
    with pytest.raises(ValueError, match="zero vector"):
        similarity(astronaut_vector, np.zeros(128, np.float32))
