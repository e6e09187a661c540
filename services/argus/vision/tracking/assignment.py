"""IoU costs between boxes and thresholded Hungarian assignment (scipy's ``linear_sum_assignment``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

Box = tuple[float, float, float, float]  # left, top, width, height


def iou_matrix(boxes_a: Sequence[Box], boxes_b: Sequence[Box]) -> NDArray[np.float64]:
    """Intersection over union of every box of ``boxes_a`` with every box of ``boxes_b``."""
    if not boxes_a or not boxes_b:
        return np.zeros((len(boxes_a), len(boxes_b)))
    a = np.array(boxes_a, dtype=np.float64)
    b = np.array(boxes_b, dtype=np.float64)
    a_right, a_bottom = a[:, 0] + a[:, 2], a[:, 1] + a[:, 3]
    b_right, b_bottom = b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    width = np.clip(
        np.minimum(a_right[:, None], b_right[None]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None
    )
    height = np.clip(
        np.minimum(a_bottom[:, None], b_bottom[None]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None
    )
    inter = width * height
    union = (a[:, 2] * a[:, 3])[:, None] + (b[:, 2] * b[:, 3])[None] - inter
    result: NDArray[np.float64] = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)
    return result


def assign(cost: NDArray[np.float64], max_cost: float) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Minimum-cost matching of rows to columns, keeping pairs of cost at most ``max_cost``:
    ``(pairs, unmatched rows, unmatched columns)``."""
    rows, cols = cost.shape
    if rows == 0 or cols == 0:
        return [], list(range(rows)), list(range(cols))
    row_index, col_index = linear_sum_assignment(cost)
    pairs = [(int(r), int(c)) for r, c in zip(row_index, col_index, strict=True) if cost[r, c] <= max_cost]
    matched_rows = {r for r, _ in pairs}
    matched_cols = {c for _, c in pairs}
    return (
        pairs,
        [r for r in range(rows) if r not in matched_rows],
        [c for c in range(cols) if c not in matched_cols],
    )
