"""SearchFacesByImage and IndexFaces through boto3 against an embedded server, split into parts.

Indexes the real face photos in ../shared/data/faces (and the astronaut) into a collection, then
searches with one 640x480 photo repeatedly. Prints the round-trip p50/p99 next to the time the
models take in-process on the same image (detection + landmarks + embedding); the vector search
part at scale is measured by bench/face_search_1m.py.

    .venv/bin/python bench/search_faces_latency.py [--requests 100]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.embedded import embedded_rekognition  # noqa: E402
from tests.conftest import SHARED_DATA  # noqa: E402


def jpeg_640x480(image: Image.Image) -> bytes:
    width, height = image.size
    side_w, side_h = (height * 4 // 3, height) if width * 3 >= height * 4 else (width, width * 3 // 4)
    left, top = (width - side_w) // 2, (height - side_h) // 2
    image = image.convert("RGB").crop((left, top, left + side_w, top + side_h)).resize((640, 480))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def stats(values: list[float]) -> str:
    data = np.array(values)
    return f"p50 {np.percentile(data, 50):6.1f} ms  p99 {np.percentile(data, 99):6.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    gallery = sorted((SHARED_DATA / "faces").glob("*_1.jpg")) if (SHARED_DATA / "faces").is_dir() else []
    query = jpeg_640x480(Image.fromarray(skimage.data.astronaut()))

    from argus.core.config import Settings
    from argus.core.images import decode_image
    from argus.core.models.registry import ModelRegistry, Task

    registry = ModelRegistry(Settings())
    analyzer, embedder = registry.get(Task.FACE_DETECTION), registry.get(Task.FACE_EMBEDDING)
    pixels = decode_image(query).pixels
    detect_ms, embed_ms = [], []
    for _ in range(args.requests):
        start = time.perf_counter()
        faces = analyzer.analyze(pixels, frozenset({"DEFAULT"}))
        middle = time.perf_counter()
        embedder.embed_faces(pixels, [max(faces, key=lambda f: f.detection.width).detection])
        detect_ms.append((middle - start) * 1000)
        embed_ms.append((time.perf_counter() - middle) * 1000)

    with embedded_rekognition() as client:
        client.create_collection(CollectionId="bench")
        index_ms = []
        for path in [*gallery, None]:
            data = path.read_bytes() if path else query
            start = time.perf_counter()
            client.index_faces(
                CollectionId="bench",
                Image={"Bytes": data},
                ExternalImageId=path.stem if path else "astronaut",
            )
            index_ms.append((time.perf_counter() - start) * 1000)
        faces = client.describe_collection(CollectionId="bench")["FaceCount"]
        for _ in range(3):
            client.search_faces_by_image(CollectionId="bench", Image={"Bytes": query})
        search_ms = []
        for _ in range(args.requests):
            start = time.perf_counter()
            response = client.search_faces_by_image(CollectionId="bench", Image={"Bytes": query})
            search_ms.append((time.perf_counter() - start) * 1000)
        assert response["FaceMatches"][0]["Face"]["ExternalImageId"] == "astronaut"

    print(
        f"collection: {faces} faces from {len(index_ms)} images; query 640x480 JPEG, {args.requests} requests"
    )
    rate = 1000 / np.mean(index_ms)
    print(f"IndexFaces via boto3 (embedded)              {stats(index_ms)}  ({rate:.1f} images/s)")
    print(f"detection + landmarks + pose + quality      {stats(detect_ms)}")
    print(f"embedding (one face)                         {stats(embed_ms)}")
    print(f"SearchFacesByImage via boto3 (embedded)      {stats(search_ms)}")


if __name__ == "__main__":
    main()
