"""Fixtures for the text tests: the real EasyOCR reader, loaded once."""

from __future__ import annotations

import pytest

from argus.core.models import files
from argus.vision.text.reader import DETECTOR_FILE, TextReader


@pytest.fixture(scope="session")
def reader() -> TextReader:
    try:
        model_dir = files.easyocr_model(DETECTOR_FILE).parent
    except files.ModelFileMissing as missing:
        pytest.skip(str(missing))
    return TextReader.from_dir(model_dir, "cpu")
