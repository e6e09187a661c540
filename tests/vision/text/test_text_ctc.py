"""Greedy CTC decoding with the time steps of each character, and words between spaces."""

from __future__ import annotations

import numpy as np
import pytest

from argus.vision.text import ctc

ALPHABET = ["[blank]", "a", "b", " "]


def steps(*symbols: int, prob: float = 0.9) -> np.ndarray:
    """One row per step, the given symbol winning with ``prob``."""
    rows = np.full((len(symbols), len(ALPHABET)), (1 - prob) / (len(ALPHABET) - 1), dtype=np.float32)
    rows[np.arange(len(symbols)), symbols] = prob
    return rows


def test_repeats_merge_and_blanks_drop_keeping_each_characters_steps() -> None:
    chars = ctc.decode(steps(1, 1, 0, 2, 0, 0, 2), ALPHABET)
    assert [(c.text, c.first, c.last, len(c.probs)) for c in chars] == [
        ("a", 0, 1, 2),
        ("b", 3, 3, 1),
        ("b", 6, 6, 1),
    ]


def test_words_are_the_runs_between_spaces_with_their_own_confidence() -> None:
    probs = steps(1, 0, 2, 3, 3, 0, 2, 1)
    probs[7] = [0.0, 0.5, 0.25, 0.25]  # the last "a" is less sure
    words = ctc.words(ctc.decode(probs, ALPHABET))
    assert [(w.text, w.first, w.last) for w in words] == [("ab", 0, 2), ("ba", 6, 7)]
    assert words[0].confidence == pytest.approx(ctc.custom_mean([0.9, 0.9]))
    assert words[1].confidence == pytest.approx(ctc.custom_mean([0.9, 0.5]))
    assert words[1].confidence < words[0].confidence


def test_custom_mean_is_easyocrs_formula() -> None:
    assert ctc.custom_mean([0.81, 0.81, 0.81, 0.81]) == pytest.approx(0.81**4 ** (2 / 2))
    assert ctc.custom_mean([]) == 0.0


def test_step_centres_are_four_pixels_apart() -> None:
    assert [ctc.step_centre(step) for step in (0, 1, 10)] == [4.0, 8.0, 44.0]
