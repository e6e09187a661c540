"""Greedy CTC decoding that keeps where each character was read, and splitting into words.

EasyOCR's recognizer reads a text box as a sequence of time steps along its width (one every 4
pixels of the 64-pixel-high crop) and emits, at each step, a probability for blank and for every
character. Greedy decoding takes the most likely symbol per step, merges repeats and drops blanks;
here each character also remembers the steps it came from, which tell where it sits in the box.
A word is a run of characters between spaces, with EasyOCR's own confidence formula applied to
that word's steps alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

BLANK = 0
STRIDE = 4
"""Pixels of the 64-high crop per time step (the VGG feature extractor halves the width twice)."""


@dataclass(frozen=True)
class Char:
    text: str
    first: int  # first time step that emitted it
    last: int  # last time step that emitted it (repeats merge into one character)
    probs: tuple[float, ...]  # the winning probability at each of its steps


@dataclass(frozen=True)
class WordSpan:
    text: str
    confidence: float  # 0-1, EasyOCR's formula on this word's steps
    first: int
    last: int


def custom_mean(probs: Sequence[float]) -> float:
    """EasyOCR's text confidence: the product of step probabilities, to the power 2/sqrt(n)."""
    if not probs:
        return 0.0
    return float(np.prod(np.asarray(probs, dtype=np.float64)) ** (2.0 / np.sqrt(len(probs))))


def decode(probs: NDArray[np.float32], alphabet: Sequence[str]) -> list[Char]:
    """Greedy decoding of ``(steps, classes)`` probabilities; ``alphabet[0]`` is the blank."""
    best = probs.argmax(axis=1)
    top = probs.max(axis=1)
    chars: list[Char] = []
    previous = BLANK
    for step, (index, prob) in enumerate(zip(best.tolist(), top.tolist(), strict=True)):
        if index != BLANK:
            if index == previous and chars:
                last = chars[-1]
                chars[-1] = Char(last.text, last.first, step, (*last.probs, float(prob)))
            else:
                chars.append(Char(alphabet[index], step, step, (float(prob),)))
        previous = index
    return chars


def confidence(chars: Sequence[Char]) -> float:
    """EasyOCR's confidence of a whole decoded box (every non-blank step, spaces included)."""
    return custom_mean([p for char in chars for p in char.probs])


def words(chars: Sequence[Char]) -> list[WordSpan]:
    """The space-separated words of a decoded box, in reading order."""
    found: list[WordSpan] = []
    run: list[Char] = []
    for char in [*chars, Char(" ", -1, -1, ())]:
        if char.text.isspace():
            if run:
                found.append(
                    WordSpan(
                        text="".join(c.text for c in run),
                        confidence=custom_mean([p for c in run for p in c.probs]),
                        first=run[0].first,
                        last=run[-1].last,
                    )
                )
            run = []
        else:
            run.append(char)
    return found


def step_centre(step: float) -> float:
    """Centre, in pixels of the 64-high crop, of what a time step reads (its receptive field)."""
    return STRIDE * (step + 1.0)
