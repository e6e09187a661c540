"""DetectText: word accuracy, character error rate and speed of the EasyOCR reader.

Accuracy
    Rendered pages: 640x480, lines of words drawn with PIL from a fixed vocabulary (seeded), in six
    TrueType faces (DejaVu Sans, Serif, Mono, Sans Bold, Sans Condensed, Serif Italic) and PIL's own
    bundled face, at 14, 20, 28 and 40 px; then variants at 28 px: light text on a dark background,
    JPEG quality 40, turned 5 degrees. Photos with text that ship in packages: scikit-image's
    ``page()`` (a photographed book page, uneven light) and ultralytics' ``bus.jpg`` (a street
    scene), each with a hand transcription of the text a person can read in it.

    Per image: words read exactly (the multiset of returned WORDs against the drawn words; case and
    punctuation count), lines read exactly, and the character error rate of the whole text in reading
    order (Levenshtein distance over the drawn text's length, lines joined by newlines). The same
    pages through EasyOCR's own ``readtext`` (its boxes split on spaces) give the reference numbers
    for the words.

Speed
    Milliseconds per 640x480 rendered page in-process (detection, recognition, word boxes, lines) on
    this machine's CPU, with the number of torch threads and the load average before and after (other
    processes on the machine slow it down: compare runs at a similar load).

    .venv/bin/python bench/detect_text_accuracy.py [--quick]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from argus.core.models import files  # noqa: E402
from argus.vision.text.reader import DETECTOR_FILE, TextReader  # noqa: E402
from tests.vision.text.render import render, rotated  # noqa: E402

FACES = [
    "DejaVuSans.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSerif-Italic.ttf",
    "pil-default",  # not a file: render() falls back to PIL's bundled face
]
SIZES = [14, 20, 28, 40]
VOCABULARY = str.split(
    "the of and to in is was for on that with as by at from his her they this which are be have or "
    "station platform north south closed open exit entrance invoice total receipt order number "
    "Monday Friday January October London Madrid Berlin Street Avenue Road Coffee Bakery Pharmacy "
    "No. Tel. $12.50 $7.99 2024 1987 42 365 10:30 09:15 e-mail (call) Ltd. Inc. A4 B12 XL "
    "quality delivery window garden yellow purple orange measure question answer picture"
)

PAGE_TEXT = [
    "Region-based segmentation",
    "Let us first determine markers of the coins and the",
    "background. These markers are pixels that we can label",
    "unambiguously as either object or background. Here,",
    "the markers are found at the two extreme parts of the",
    "histogram of grey values:",
    ">>> markers = np.zeros_like(coins)",
]
BUS_TEXT = ["EMT MADRID", "cero", "emisiones"]  # the clearly legible text on the bus


@dataclass
class Sample:
    name: str
    pixels: np.ndarray
    lines: list[str]
    rendered: bool


def random_lines(
    rng: random.Random, size: int, width: int = 640, height: int = 480
) -> list[tuple[int, int, str]]:
    """Lines of vocabulary words that fit the page at this size (about 0.55 em per character)."""
    lines = []
    y = 20
    per_line = int((width - 60) / (0.62 * size))
    while y + 1.6 * size < height - 10 and len(lines) < 8:
        words: list[str] = []
        while True:
            word = rng.choice(VOCABULARY)
            if len(" ".join([*words, word])) > per_line:
                break
            words.append(word)
        lines.append((30, y, " ".join(words)))
        y += int(size * 2.2)
    return lines


def rendered_samples(quick: bool) -> list[Sample]:
    rng = random.Random(7)
    samples = []
    for face in FACES[:2] if quick else FACES:
        for size in SIZES[1:3] if quick else SIZES:
            page = render(random_lines(rng, size), size=size, font_name=face)
            samples.append(Sample(f"{face.removesuffix('.ttf')} {size}px", page.pixels, page.texts, True))
    page = render(random_lines(rng, 28), size=28, background=(25, 45, 95), ink=(250, 250, 250))
    samples.append(Sample("light on dark 28px", page.pixels, page.texts, True))
    page = render(random_lines(rng, 28), size=28)
    buffer = io.BytesIO()
    Image.fromarray(page.pixels).save(buffer, format="JPEG", quality=40)
    samples.append(Sample("JPEG q40 28px", np.asarray(Image.open(buffer).convert("RGB")), page.texts, True))
    page = render(random_lines(rng, 28)[:5], size=28)
    samples.append(Sample("turned 5 deg 28px", rotated(page, 5), page.texts, True))
    return samples


def photo_samples() -> list[Sample]:
    import skimage.data

    samples = [Sample("skimage page()", np.stack([skimage.data.page()] * 3, axis=-1), PAGE_TEXT, False)]
    try:
        from tests.conftest import ultralytics_asset

        bus = np.asarray(Image.open(ultralytics_asset("bus.jpg")).convert("RGB"))
        samples.append(Sample("ultralytics bus.jpg", bus, BUS_TEXT, False))
    except (AssertionError, OSError):
        print("ultralytics is not installed: bus.jpg skipped (pip install --no-deps ultralytics)")
    return samples


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def words_found(expected: Sequence[str], got: Sequence[str]) -> int:
    return sum((Counter(expected) & Counter(got)).values())


@dataclass
class Score:
    words: int = 0
    words_exact: int = 0
    easyocr_words_exact: int = 0
    lines: int = 0
    lines_exact: int = 0
    chars: int = 0
    char_errors: int = 0

    def add(self, other: Score) -> None:
        for field in self.__dataclass_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))

    def row(self, name: str) -> str:
        words, easyocr = 100 * self.words_exact / self.words, 100 * self.easyocr_words_exact / self.words
        cer = 100 * self.char_errors / max(1, self.chars)
        return (
            f"{name:<26} words {self.words_exact:>4}/{self.words:<4} {words:5.1f} %"
            f"  (EasyOCR boxes {easyocr:5.1f} %)"
            f"  lines {self.lines_exact:>3}/{self.lines:<3}  CER {cer:5.2f} %"
        )


def score(reader: TextReader, sample: Sample) -> tuple[Score, float]:
    started = time.perf_counter()
    lines = reader.read(sample.pixels)
    elapsed = time.perf_counter() - started
    expected_words = [word for line in sample.lines for word in line.split()]
    got_words = [word.text for line in lines for word in line.words]
    easyocr_words = [word for _, text, _ in reader._reader.readtext(sample.pixels) for word in text.split()]
    expected_text, got_text = "\n".join(sample.lines), "\n".join(line.text for line in lines)
    if sample.rendered:
        char_errors, chars = levenshtein(got_text, expected_text), len(expected_text)
    else:  # a photo has more text than the transcription: score the transcribed lines only
        char_errors = sum(
            min(levenshtein(line.text, want) for line in lines) if lines else len(want)
            for want in sample.lines
        )
        chars = sum(len(want) for want in sample.lines)
    result = Score(
        words=len(expected_words),
        words_exact=words_found(expected_words, got_words),
        easyocr_words_exact=words_found(expected_words, easyocr_words),
        lines=len(sample.lines),
        lines_exact=sum((Counter(sample.lines) & Counter(line.text for line in lines)).values()),
        chars=chars,
        char_errors=char_errors,
    )
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="two faces at two sizes only")
    args = parser.parse_args()

    import torch

    warnings.filterwarnings("ignore", message=".*pin_memory.*")  # EasyOCR's readtext, for the reference
    reader = TextReader.from_dir(files.easyocr_model(DETECTOR_FILE).parent, "cpu")
    cpu = platform.processor() or platform.machine()
    print(
        f"{cpu}, torch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()[0]:.2f}"
    )
    print(f"model {reader.model_version}, detector canvas {reader.canvas_size} px\n")

    reader.read(render([(30, 30, "warm up")]).pixels)
    rendered, photos = Score(), Score()
    timings = []
    for sample in rendered_samples(args.quick) + photo_samples():
        result, elapsed = score(reader, sample)
        print(result.row(sample.name) + f"  {1000 * elapsed:6.0f} ms")
        (rendered if sample.rendered else photos).add(result)
        if sample.rendered and sample.pixels.shape[:2] == (480, 640):
            timings.append(elapsed)
    print()
    print(rendered.row("ALL RENDERED"))
    print(photos.row("ALL PHOTOS"))
    timings.sort()
    print(
        f"\n640x480 page, in-process: median {1000 * statistics.median(timings):.0f} ms, "
        f"p90 {1000 * timings[int(0.9 * (len(timings) - 1))]:.0f} ms over {len(timings)} pages "
        f"(load average now {os.getloadavg()[0]:.2f})"
    )
    page = render(random_lines(random.Random(11), 28), size=28).pixels
    repeats = []
    for _ in range(3 if args.quick else 10):
        started = time.perf_counter()
        reader.read(page)
        repeats.append(time.perf_counter() - started)
    print(
        f"one 640x480 page (7 lines of 28 px text) read {len(repeats)} times: "
        f"best {1000 * min(repeats):.0f} ms, "
        f"median {1000 * statistics.median(repeats):.0f} ms (load average now {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
