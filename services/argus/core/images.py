"""Image decoding with the Rekognition rules: JPEG or PNG only, EXIF orientation applied.

`Image.Bytes` may be 5 MB (checked by the request validator before decoding) and an S3 object
15 MB (checked here). Corrupt, truncated and decompression-bomb images are refused with
``InvalidImageFormatException`` before any pixel is decoded past the limit.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from argus.core.errors import InvalidImageFormatException

MAX_BYTES_INLINE = 5 * 1024 * 1024
MAX_BYTES_S3 = 15 * 1024 * 1024
MAX_PIXELS = 64_000_000
MIN_SIDE = 16
FORMATS = {"JPEG": "jpeg", "PNG": "png"}
EXIF_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class DecodedImage:
    """RGB pixels after EXIF orientation, and what the file said about itself."""

    pixels: np.ndarray  # (height, width, 3) uint8, upright
    format: str  # "jpeg" or "png"
    exif_orientation: int | None  # 1..8 when the JPEG carried one

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])


def decode_image(data: bytes) -> DecodedImage:
    if not (data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")):
        raise InvalidImageFormatException("Request has invalid image format: only JPEG and PNG are supported")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            fmt = FORMATS.get(image.format or "")
            if fmt is None:
                raise InvalidImageFormatException(
                    "Request has invalid image format: only JPEG and PNG are supported"
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidImageFormatException(
                    f"Request has invalid image format: {width}x{height} exceeds {MAX_PIXELS} pixels"
                )
            if min(width, height) < MIN_SIDE:
                raise InvalidImageFormatException(
                    f"Request has invalid image format: {width}x{height} is smaller than "
                    f"{MIN_SIDE} pixels a side"
                )
            orientation = image.getexif().get(EXIF_ORIENTATION_TAG) if fmt == "jpeg" else None
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            pixels = np.asarray(upright.convert("RGB"))
    except InvalidImageFormatException:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise InvalidImageFormatException(f"Request has invalid image format: {error}") from error
    return DecodedImage(pixels=pixels, format=fmt, exif_orientation=int(orientation) if orientation else None)
