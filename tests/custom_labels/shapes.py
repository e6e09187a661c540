"""Small real datasets for Custom Labels tests: shapes drawn on noisy backgrounds, with their
SageMaker Ground Truth manifests (object detection boxes, or image-level classification labels)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

SIZE = 96
SQUARE = "red square"


@dataclass(frozen=True)
class Picture:
    key: str
    png: bytes
    boxes: list[tuple[int, int, int, int]]  # left, top, width, height of each red square
    label: str | None = None  # image-level label


def _canvas(rng: np.random.Generator) -> Image.Image:
    base = rng.integers(0, 90, 3)
    noise = rng.integers(-20, 20, (SIZE, SIZE, 3))
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8))


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def detection_picture(rng: np.random.Generator, key: str) -> Picture:
    """One or two red squares (the label) and a blue circle (a distractor) on a noisy background."""
    image = _canvas(rng)
    draw = ImageDraw.Draw(image)
    x, y = (int(v) for v in rng.integers(0, SIZE - 24, 2))
    draw.ellipse([x, y, x + 22, y + 22], fill=(40, 60, 230))
    boxes = []
    for _ in range(int(rng.integers(1, 3))):
        side = int(rng.integers(20, 34))
        left, top = (int(v) for v in rng.integers(0, SIZE - side, 2))
        draw.rectangle([left, top, left + side - 1, top + side - 1], fill=(235, 40, 40))
        boxes.append((left, top, side, side))
    return Picture(key, _png(image), boxes)


def classification_picture(rng: np.random.Generator, key: str, label: str) -> Picture:
    """A big square or circle (the image's label), in a random colour, on a noisy background."""
    image = _canvas(rng)
    draw = ImageDraw.Draw(image)
    side = int(rng.integers(36, 60))
    left, top = (int(v) for v in rng.integers(0, SIZE - side, 2))
    colour = tuple(int(v) for v in rng.integers(150, 255, 3))
    shape = [left, top, left + side, top + side]
    if label == "square":
        draw.rectangle(shape, fill=colour)
    else:
        draw.ellipse(shape, fill=colour)
    return Picture(key, _png(image), [], label)


def detection_line(bucket: str, picture: Picture) -> str:
    return json.dumps(
        {
            "source-ref": f"s3://{bucket}/{picture.key}",
            "bounding-box": {
                "image_size": [{"width": SIZE, "height": SIZE, "depth": 3}],
                "annotations": [
                    {"class_id": 0, "left": left, "top": top, "width": width, "height": height}
                    for left, top, width, height in picture.boxes
                ],
            },
            "bounding-box-metadata": {
                "objects": [{"confidence": 1} for _ in picture.boxes],
                "class-map": {"0": SQUARE},
                "type": "groundtruth/object-detection",
                "human-annotated": "yes",
                "creation-date": "2026-11-25T12:00:00",
                "job-name": "labeling-job/shapes",
            },
        }
    )


def classification_line(bucket: str, picture: Picture) -> str:
    assert picture.label is not None
    return json.dumps(
        {
            "source-ref": f"s3://{bucket}/{picture.key}",
            "shape": 0 if picture.label == "square" else 1,
            "shape-metadata": {
                "confidence": 1,
                "class-name": picture.label,
                "human-annotated": "yes",
                "creation-date": "2026-11-25T12:00:00",
                "type": "groundtruth/image-classification",
                "job-name": "labeling-job/shapes",
            },
        }
    )


def detection_set(count: int, seed: int, prefix: str = "detect") -> list[Picture]:
    rng = np.random.default_rng(seed)
    return [detection_picture(rng, f"{prefix}/{number:04d}.png") for number in range(count)]


def classification_set(count: int, seed: int, prefix: str = "classify") -> list[Picture]:
    rng = np.random.default_rng(seed)
    return [
        classification_picture(rng, f"{prefix}/{number:04d}.png", ("square", "circle")[number % 2])
        for number in range(count)
    ]


def manifest(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode()
