"""The moderation models on real photos, and their decoding."""

from __future__ import annotations

import hashlib
from pathlib import Path

import cv2
import numpy as np
import pytest

from argus.core.models import files
from argus.vision.moderation import nudenet, opennsfw
from argus.vision.moderation.moderator import OPENNSFW_FILE, Moderator

RGB = np.ndarray


def explicit(labels: list[dict[str, object]]) -> list[dict[str, object]]:
    names = {"Explicit", "Explicit Nudity", "Explicit Sexual Activity", "Sex Toys"}
    return [label for label in labels if label["Name"] in names or label["ParentName"] in names]


@pytest.mark.parametrize("photo", ["astronaut", "coffee", "bus"])
def test_everyday_photos_get_no_explicit_label_at_any_confidence(
    moderator: Moderator, photo: str, request: pytest.FixtureRequest
) -> None:
    rgb = request.getfixturevalue(photo)
    assert explicit(moderator.moderation_labels(rgb, min_confidence=0)) == []


@pytest.mark.parametrize("photo", ["astronaut", "coffee", "bus"])
def test_everyday_photos_get_no_label_at_the_default_confidence(
    moderator: Moderator, photo: str, request: pytest.FixtureRequest
) -> None:
    assert moderator.moderation_labels(request.getfixturevalue(photo), min_confidence=50) == []


def test_a_detector_false_alarm_is_vetoed_by_open_nsfw(moderator: Moderator) -> None:
    import skimage.data

    wheel = np.asarray(skimage.data.colorwheel())[..., :3]
    evidence = moderator.evidence(wheel)
    assert evidence.nudenet.get("BUTTOCKS_EXPOSED", 0) > 0.5  # NudeNet alone is fooled
    assert evidence.open_nsfw < 0.2
    assert moderator.moderation_labels(wheel, min_confidence=0) == []


def test_open_nsfw_calls_everyday_photos_safe(moderator: Moderator, astronaut: RGB, coffee: RGB) -> None:
    assert moderator.classifier.nsfw_probability(astronaut) < 0.2
    assert moderator.classifier.nsfw_probability(coffee) < 0.2


def test_the_detector_finds_the_astronauts_face_as_a_female_face(
    moderator: Moderator, astronaut: RGB
) -> None:
    faces = [d for d in moderator.detector.detect(astronaut) if d.detector_class == "FACE_FEMALE"]
    assert len(faces) == 1
    left, top, width, height = faces[0].box
    # Her face spans about x 175-265, y 75-170 of the 512x512 picture.
    assert 175 < left + width / 2 < 265
    assert 75 < top + height / 2 < 170


def test_the_input_samples_the_same_grid_as_resizing_the_padded_square(bus: RGB) -> None:
    for width, height in [(640, 480), (480, 640), (120, 200), (512, 512), (810, 1080)]:
        rgb = cv2.resize(bus, (width, height), interpolation=cv2.INTER_AREA)
        side = max(height, width)
        square = cv2.copyMakeBorder(rgb, 0, side - height, 0, side - width, cv2.BORDER_CONSTANT)
        reference = cv2.resize(square, (320, 320), interpolation=cv2.INTER_LINEAR).astype(np.int64)
        tensor, scale_side = nudenet.preprocess(np.asarray(rgb, dtype=np.uint8))
        ours = np.rint(tensor[0].transpose(1, 2, 0) * 255).astype(np.int64)
        assert scale_side == side
        assert np.abs(ours - reference).max() <= 5
        assert np.abs(ours - reference).mean() < 0.5


def test_a_candidate_is_decoded_to_image_pixels() -> None:
    output = np.zeros((1, 4 + len(nudenet.CLASSES), 2100), dtype=np.float32)
    output[0, :4, 7] = [160, 80, 40, 20]  # centre (160, 80), 40 x 20 in the 320 x 320 input
    output[0, 4 + nudenet.CLASSES.index("MALE_BREAST_EXPOSED"), 7] = 0.9
    output[0, 4 + nudenet.CLASSES.index("FEET_COVERED"), 9] = 0.1  # below the candidate score
    # A 640 x 480 image was padded to 640 x 640, so input pixels are 2 image pixels.
    (found,) = nudenet.postprocess(output, side=640.0, width=640, height=480)
    assert found.detector_class == "MALE_BREAST_EXPOSED"
    assert found.score == pytest.approx(0.9)
    assert found.box == pytest.approx((280.0, 140.0, 80.0, 40.0))


def test_overlapping_detections_keep_the_best_across_classes() -> None:
    output = np.zeros((1, 4 + len(nudenet.CLASSES), 2100), dtype=np.float32)
    output[0, :4, 0] = [100, 100, 50, 50]
    output[0, 4 + nudenet.CLASSES.index("BELLY_EXPOSED"), 0] = 0.8
    output[0, :4, 1] = [102, 101, 50, 50]
    output[0, 4 + nudenet.CLASSES.index("BELLY_COVERED"), 1] = 0.6
    found = nudenet.postprocess(output, side=320.0, width=320, height=320)
    assert [d.detector_class for d in found] == ["BELLY_EXPOSED"]


def test_the_open_nsfw_weights_are_the_packages_pinned_file(model_dir: Path) -> None:
    path = files.extracted_model(model_dir, files.OPENNSFW, OPENNSFW_FILE)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == opennsfw.SHA256
