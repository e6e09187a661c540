"""The one way Argus imports ultralytics (Custom Labels training and serving, operator YOLO files).

Ultralytics is installed ``--no-deps`` (deploy/requirements-nodeps.txt) and must never reach a hub
or pip from here.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

from PIL import Image


def ultralytics() -> Any:
    """The ultralytics module, never allowed to reach a hub or pip.

    Importing ultralytics replaces PIL's ``Image.open`` with a version that, on an unreadable
    image, tries to pip-install ``pi-heif`` and then fails with ModuleNotFoundError; that would
    turn every bad image of every operation of this process into a server error. PIL's own
    ``Image.open`` (which ultralytics keeps as ``_image_open``) is put back.
    """
    os.environ.setdefault("YOLO_OFFLINE", "1")
    module = importlib.import_module("ultralytics")
    original = getattr(importlib.import_module("ultralytics.utils.patches"), "_image_open", None)
    if original is not None:
        Image.open = original
    return module


def pick_device(setting: str) -> str:
    """``cuda`` or ``auto`` with a GPU present: the first GPU; otherwise the CPU."""
    if setting in ("auto", "cuda"):
        import torch

        if torch.cuda.is_available():
            return "0"
    return "cpu"


def detected_boxes(result: Any) -> Iterator[tuple[int, float, tuple[float, float, float, float]]]:
    """(class index, confidence, (x1, y1, x2, y2) in pixels) of every box of one ultralytics result."""
    boxes = result.boxes
    if boxes is None:
        return
    xyxy = boxes.xyxy.cpu().numpy()
    confidences = boxes.conf.cpu().numpy()
    classes = boxes.cls.cpu().numpy().astype(int)
    for box, confidence, cls in zip(xyxy, confidences, classes, strict=True):
        yield int(cls), float(confidence), (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
