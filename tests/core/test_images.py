"""Image decoding rules: JPEG and PNG only, EXIF orientation applied, bombs and corrupt files refused."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from argus.core.errors import InvalidImageFormatException
from argus.core.images import decode_image
from tests.conftest import encode


def gradient(height: int = 60, width: int = 80) -> np.ndarray:
    ramp = np.linspace(0, 255, width, dtype=np.uint8)
    return np.stack([np.tile(ramp, (height, 1))] * 3, axis=-1)


def test_jpeg_decodes_to_rgb_pixels() -> None:
    decoded = decode_image(encode(gradient(), "JPEG"))
    assert (decoded.format, decoded.width, decoded.height) == ("jpeg", 80, 60)
    assert decoded.pixels.dtype == np.uint8 and decoded.pixels.shape == (60, 80, 3)


def test_png_with_alpha_decodes_to_rgb() -> None:
    rgba = np.dstack([gradient(), np.full((60, 80), 128, np.uint8)])
    decoded = decode_image(encode(rgba, "PNG"))
    assert (decoded.format, decoded.pixels.shape) == ("png", (60, 80, 3))


def test_exif_orientation_6_turns_the_picture_upright() -> None:
    stored = Image.fromarray(gradient(60, 80))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    stored.save(buffer, format="JPEG", exif=exif)
    decoded = decode_image(buffer.getvalue())
    assert decoded.exif_orientation == 6
    assert (decoded.width, decoded.height) == (60, 80)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "WEBP"])
def test_other_formats_are_refused(fmt: str) -> None:
    with pytest.raises(InvalidImageFormatException):
        decode_image(encode(gradient(), fmt))


def test_truncated_jpeg_is_refused() -> None:
    data = encode(np.random.default_rng(1).integers(0, 255, (200, 200, 3), dtype=np.uint8), "JPEG")
    with pytest.raises(InvalidImageFormatException):
        decode_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = encode(np.zeros((9000, 9000), dtype=np.uint8), "PNG", optimize=True)
    with pytest.raises(InvalidImageFormatException, match="exceeds 64000000 pixels"):
        decode_image(bomb)


def test_tiny_image_is_refused() -> None:
    with pytest.raises(InvalidImageFormatException, match="smaller than 16 pixels"):
        decode_image(encode(gradient(8, 8), "PNG"))
