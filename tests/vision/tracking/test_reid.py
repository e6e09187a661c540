"""Re-identification: a new track takes a lost Index when its face (or, without faces, its torso
colours) matches; faces decide over torso colours; an Index in view is never given away."""

from __future__ import annotations

import numpy as np
import pytest

from argus.vision.tracking.cuts import hsv_histogram
from argus.vision.tracking.reid import Appearance, Reidentifier, torso_histogram, torso_region


def unit(*values: float) -> np.ndarray:
    vector = np.zeros(128, np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def colour(rgb: tuple[int, int, int]) -> np.ndarray:
    return hsv_histogram(np.full((16, 16, 3), rgb, np.uint8))


OBAMA, BIDEN = unit(1.0), unit(0.0, 1.0)
RED, BLUE = colour((200, 30, 30)), colour((30, 30, 200))


def test_a_new_track_with_the_face_of_a_lost_index_takes_it() -> None:
    reid = Reidentifier()
    assert reid.assign({0: Appearance(OBAMA, RED)}) == {0: 0}
    reid.new_shot()
    assert reid.assign({}) == {}
    assert reid.assign({0: Appearance(unit(1.0, 0.3), BLUE)}) == {0: 0}  # cosine 0.96 >= 0.909


def test_a_different_face_gets_a_new_index_even_with_the_same_torso_colours() -> None:
    reid = Reidentifier()
    reid.assign({0: Appearance(OBAMA, RED)})
    reid.new_shot()
    assert reid.assign({0: Appearance(BIDEN, RED)}) == {0: 1}


def test_without_faces_matching_torso_colours_decide() -> None:
    reid = Reidentifier()
    assert reid.assign({0: Appearance(None, RED), 1: Appearance(None, BLUE)}) == {0: 0, 1: 1}
    reid.new_shot()
    assert reid.assign({5: Appearance(None, BLUE), 6: Appearance(None, colour((0, 200, 0)))}) == {5: 1, 6: 2}


def test_an_index_in_view_is_not_given_to_another_track() -> None:
    reid = Reidentifier()
    reid.assign({0: Appearance(OBAMA, RED)})
    assert reid.assign({0: Appearance(OBAMA, RED), 1: Appearance(OBAMA, RED)}) == {0: 0, 1: 1}


def test_a_track_keeps_its_index_while_tracked_and_indices_expire_after_the_memory() -> None:
    reid = Reidentifier(memory_frames=2)
    reid.assign({3: Appearance(OBAMA, RED)})
    assert reid.assign({3: Appearance(BIDEN, BLUE)}) == {3: 0}  # motion tracking vouches for it
    assert not reid.wants_face(3)
    reid.assign({})
    reid.assign({})
    assert reid.assign({4: Appearance(OBAMA, RED)}) == {4: 1}


def test_the_torso_is_the_middle_of_the_upper_body() -> None:
    assert torso_region((0.2, 0.0, 0.4, 1.0)) == pytest.approx((0.3, 0.2, 0.2, 0.35))
    frame = np.zeros((100, 100, 3), np.uint8)
    frame[20:55, 30:50] = (200, 30, 30)
    np.testing.assert_array_equal(torso_histogram(frame, (0.2, 0.0, 0.4, 1.0)), RED)
    assert torso_histogram(frame, (0.0, 0.0, 0.05, 0.05)) is None
