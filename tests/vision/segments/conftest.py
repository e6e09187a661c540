"""Fixtures for the segment tests: the real TransNetV2 network, loaded once."""

from __future__ import annotations

import pytest

from argus.vision.segments.transnet import TransNetV2Model


@pytest.fixture(scope="session")
def transnet() -> TransNetV2Model:
    return TransNetV2Model.load("cpu")
