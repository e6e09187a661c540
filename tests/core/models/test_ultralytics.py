"""Importing ultralytics through Argus leaves image decoding alone and never picks a missing GPU."""

from __future__ import annotations

import pytest

from argus.core.errors import InvalidImageFormatException
from argus.core.images import decode_image
from argus.core.models.ultralytics import pick_device, ultralytics


def test_a_bad_image_stays_an_invalid_format_after_ultralytics_is_imported() -> None:
    pytest.importorskip("ultralytics")
    ultralytics()
    with pytest.raises(InvalidImageFormatException, match="Request has invalid image format"):
        decode_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_the_cpu_is_used_when_asked() -> None:
    assert pick_device("cpu") == "cpu"
