"""Pages of known text drawn with PIL: the pixels, and where each word's ink is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

FONT = "DejaVuSans.ttf"  # found by FreeType in the system font folders


def font(size: int, name: str = FONT) -> ImageFont.FreeTypeFont:
    """A TrueType font; PIL's bundled one when the named font is not installed."""
    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class Drawn:
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom of the ink, in pixels


@dataclass(frozen=True)
class Page:
    pixels: NDArray[np.uint8]
    lines: list[list[Drawn]]  # the words of each line drawn, in order

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def texts(self) -> list[str]:
        return [" ".join(word.text for word in line) for line in self.lines]

    def ratio_box(self, word: Drawn) -> tuple[float, float, float, float]:
        left, top, right, bottom = word.box
        return left / self.width, top / self.height, right / self.width, bottom / self.height


def render(
    lines: Sequence[tuple[int, int, str]],
    size: int | Sequence[int] = 32,
    width: int = 640,
    height: int = 480,
    background: tuple[int, int, int] = (255, 255, 255),
    ink: tuple[int, int, int] = (0, 0, 0),
    font_name: str = FONT,
) -> Page:
    """Draw each ``(x, y, text)`` line; ``size`` is one font size or one per line."""
    sizes = [size] * len(lines) if isinstance(size, int) else list(size)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    drawn: list[list[Drawn]] = []
    for (x, y, text), line_size in zip(lines, sizes, strict=True):
        face = font(line_size, font_name)
        draw.text((x, y), text, font=face, fill=ink)
        words: list[Drawn] = []
        offset = 0
        for word in text.split(" "):
            start = text.index(word, offset)
            left = x + face.getlength(text[:start])
            box = draw.textbbox((left, y), word, font=face)
            words.append(Drawn(word, (float(box[0]), float(box[1]), float(box[2]), float(box[3]))))
            offset = start + len(word)
        drawn.append(words)
    return Page(np.asarray(image), drawn)


def rotated(page: Page, degrees: float) -> NDArray[np.uint8]:
    """The page turned ``degrees`` counter-clockwise about its centre (background filled in)."""
    image = Image.fromarray(page.pixels)
    corner = tuple(int(value) for value in page.pixels[0, 0])
    turned = image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=corner)
    return np.asarray(turned)


def gradient(width: int = 640, height: int = 480) -> NDArray[np.uint8]:
    """A smooth colour ramp: no text anywhere."""
    xs = np.linspace(0, 255, width, dtype=np.float64)[None, :].repeat(height, axis=0)
    ys = np.linspace(40, 200, height, dtype=np.float64)[:, None].repeat(width, axis=1)
    return np.stack([xs, ys, 255 - xs], axis=-1).astype(np.uint8)
