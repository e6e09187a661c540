"""Head- and hand-cover colour signals on constructed pixels."""

from __future__ import annotations

import numpy as np

from argus.vision.ppe import cover


def pixels(rgb: tuple[int, int, int], count: int = 100) -> np.ndarray:
    return np.tile(np.array(rgb, dtype=np.uint8), (count, 1))


def face_of(rgb: tuple[int, int, int]) -> np.ndarray:
    return np.tile(np.array(rgb, dtype=np.uint8), (100, 100, 1))


SKIN = (224, 172, 140)
FACE = (0.0, 0.0, 100.0, 100.0)


def test_skin_of_the_face_is_skin_and_grey_is_not() -> None:
    model = cover.skin_model(face_of(SKIN), FACE)
    assert model.is_skin(pixels(SKIN)).all()
    assert not model.is_skin(pixels((128, 128, 128))).any()
    assert not model.is_skin(pixels((40, 90, 220))).any()


def test_bare_hand_scores_zero_and_blue_glove_one() -> None:
    model = cover.skin_model(face_of(SKIN), FACE)
    assert cover.hand_cover_score(pixels(SKIN), model) == 0.0
    assert cover.hand_cover_score(pixels((60, 110, 220)), model) == 1.0


def test_grey_face_gives_no_hand_decision() -> None:
    model = cover.skin_model(face_of((150, 150, 150)), FACE)
    assert not model.usable
    assert cover.hand_cover_score(pixels((60, 110, 220)), model) is None


def test_too_few_pixels_give_no_decision() -> None:
    assert cover.hand_cover_score(pixels(SKIN, 5), cover.GENERIC_SKIN) is None
    assert cover.head_cover_score(pixels(SKIN, 5), cover.GENERIC_SKIN) is None


def test_dark_brown_blond_and_grey_hair_are_hair() -> None:
    hair = np.array([(20, 15, 10), (110, 70, 40), (200, 170, 110), (180, 180, 180)], dtype=np.uint8)
    assert cover.is_hair(hair).all()


def test_hard_hat_colours_are_not_hair() -> None:
    hats = np.array([(250, 205, 20), (250, 110, 20), (25, 75, 205), (30, 160, 60)], dtype=np.uint8)
    assert not cover.is_hair(hats).any()


def test_yellow_hard_hat_scores_one_and_hair_zero() -> None:
    model = cover.skin_model(face_of(SKIN), FACE)
    assert cover.head_cover_score(pixels((250, 205, 20)), model) == 1.0
    assert cover.head_cover_score(pixels((20, 15, 10)), model) == 0.0
