"""Box arithmetic."""

from __future__ import annotations

import pytest

from argus.vision.boxes import iou


def test_iou_of_left_top_right_bottom_boxes() -> None:
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(50 / 150)
    assert iou((0, 0, 10, 10), (10, 10, 20, 20)) == 0.0
