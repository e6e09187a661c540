"""The constant-velocity Kalman filter of SORT/ByteTrack on ``(cx, cy, aspect, height)`` boxes.

State: box centre, aspect ratio (width / height), height, and their velocities. Process and measurement
noise scale with the box height (weights 1/20 for position, 1/160 for velocity), as in ByteTrack's
``KalmanFilter`` (itself from DeepSORT).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]

POSITION_WEIGHT = 1.0 / 20
VELOCITY_WEIGHT = 1.0 / 160


class KalmanBoxFilter:
    def __init__(self) -> None:
        self._motion = np.eye(8)
        for i in range(4):
            self._motion[i, 4 + i] = 1.0
        self._update = np.eye(4, 8)

    def initiate(self, measurement: Vector) -> tuple[Vector, Matrix]:
        mean = np.concatenate([measurement, np.zeros(4)])
        height = measurement[3]
        std = [
            2 * POSITION_WEIGHT * height,
            2 * POSITION_WEIGHT * height,
            1e-2,
            2 * POSITION_WEIGHT * height,
            10 * VELOCITY_WEIGHT * height,
            10 * VELOCITY_WEIGHT * height,
            1e-5,
            10 * VELOCITY_WEIGHT * height,
        ]
        return mean, np.diag(np.square(std))

    def predict(self, mean: Vector, covariance: Matrix) -> tuple[Vector, Matrix]:
        height = mean[3]
        std_position = [POSITION_WEIGHT * height, POSITION_WEIGHT * height, 1e-2, POSITION_WEIGHT * height]
        std_velocity = [VELOCITY_WEIGHT * height, VELOCITY_WEIGHT * height, 1e-5, VELOCITY_WEIGHT * height]
        noise = np.diag(np.square(std_position + std_velocity))
        mean = self._motion @ mean
        covariance = self._motion @ covariance @ self._motion.T + noise
        return mean, covariance

    def update(self, mean: Vector, covariance: Matrix, measurement: Vector) -> tuple[Vector, Matrix]:
        height = mean[3]
        std = [POSITION_WEIGHT * height, POSITION_WEIGHT * height, 1e-1, POSITION_WEIGHT * height]
        projected_mean = self._update @ mean
        projected_cov = self._update @ covariance @ self._update.T + np.diag(np.square(std))
        gain = np.linalg.solve(projected_cov, (covariance @ self._update.T).T).T
        mean = mean + gain @ (measurement - projected_mean)
        covariance = covariance - gain @ projected_cov @ gain.T
        return mean, covariance


def to_measurement(box: tuple[float, float, float, float]) -> Vector:
    """``(left, top, width, height)`` -> ``(cx, cy, aspect, height)``."""
    left, top, width, height = box
    return np.array([left + width / 2, top + height / 2, width / max(height, 1e-9), height])


def to_box(state: Vector) -> tuple[float, float, float, float]:
    """``(cx, cy, aspect, height, ...)`` -> ``(left, top, width, height)``."""
    cx, cy, aspect, height = (float(value) for value in state[:4])
    width = aspect * height
    return (cx - width / 2, cy - height / 2, width, height)
