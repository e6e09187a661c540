"""DetectFaces latency in the embedded mode, through a real boto3 client.

Starts `argus serve --embedded` on loopback, sends one 640x480 JPEG (ultralytics' zidane.jpg,
centre-cropped to 4:3 and resized: two faces) repeatedly, and prints p50/p90/p99 of the
round trip next to the time the face models alone take in-process on the same image.

    .venv/bin/python bench/detect_faces_latency.py [--requests 100]
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.embedded import embedded_rekognition  # noqa: E402
from tests.conftest import ultralytics_asset  # noqa: E402


def test_image() -> tuple[bytes, np.ndarray]:
    image = Image.open(ultralytics_asset("zidane.jpg")).convert("RGB")
    width, height = image.size
    crop = height * 4 // 3
    left = (width - crop) // 2
    image = image.crop((left, 0, left + crop, height)).resize((640, 480), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue(), np.asarray(image)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    jpeg, pixels = test_image()

    from argus.core.config import Settings
    from argus.core.models.registry import ModelRegistry, Task

    analyzer = ModelRegistry(Settings()).get(Task.FACE_DETECTION)
    model_ms = []
    for _ in range(args.requests):
        start = time.perf_counter()
        faces = analyzer.detect_faces(pixels, frozenset({"DEFAULT"}))
        model_ms.append((time.perf_counter() - start) * 1000)

    with embedded_rekognition() as client:
        for _ in range(5):
            client.detect_faces(Image={"Bytes": jpeg})
        round_trip_ms = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.detect_faces(Image={"Bytes": jpeg})
            round_trip_ms.append((time.perf_counter() - start) * 1000)
        assert len(response["FaceDetails"]) == len(faces)

    print(f"machine: {platform.machine()} {platform.processor() or ''} cores={__import__('os').cpu_count()}")
    print(f"image: 640x480 JPEG, {len(jpeg)} bytes, {len(faces)} faces; {args.requests} requests")
    for name, values in (
        ("face models in-process", model_ms),
        ("DetectFaces via boto3 (embedded)", round_trip_ms),
    ):
        print(
            f"{name:34s} p50 {percentile(values, 50):6.1f} ms  p90 {percentile(values, 90):6.1f} ms  "
            f"p99 {percentile(values, 99):6.1f} ms  mean {statistics.fmean(values):6.1f} ms"
        )


if __name__ == "__main__":
    main()
