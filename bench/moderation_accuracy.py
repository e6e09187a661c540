"""DetectModerationLabels: speed per 640x480 image, and what can be measured of its accuracy here.

Speed
    The moderation models in-process (NudeNet 320n, open_nsfw, both with the taxonomy's rules) on one
    640x480 photo, and the round trip through boto3 against `argus serve --embedded`.

Accuracy
    Every photo available offline is benign: scikit-image's samples, ultralytics' bus.jpg and
    zidane.jpg, ../shared/data/faces and one frame a second of ../shared/data/video/hamilton_clip.mp4.
    On them the script counts false alarms: images with any label (MinConfidence 50, and 0), with an
    explicit label, and what NudeNet alone (without open_nsfw's agreement) would have flagged. No
    explicit image ships with Argus or its dependencies, so recall is not measured unless you pass your
    own labelled folders: ``--explicit DIR`` (every image should get an ``Explicit`` label) and
    ``--benign DIR`` (none should get any label).

    .venv/bin/python bench/moderation_accuracy.py [--requests 50] [--explicit DIR] [--benign DIR]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from argus.core.config import Settings  # noqa: E402
from argus.core.models.registry import ModelRegistry, Task  # noqa: E402
from argus.vision.moderation.moderator import Moderator  # noqa: E402
from argus.vision.moderation.taxonomy import moderation_labels  # noqa: E402
from bench.embedded import embedded_rekognition  # noqa: E402
from tests.conftest import SHARED_DATA, ultralytics_asset  # noqa: E402

SKIMAGE_SAMPLES = ("astronaut", "coffee", "chelsea", "rocket", "cat", "camera", "colorwheel", "horse", "moon")
EXPLICIT_NUDENET = {
    "MALE_GENITALIA_EXPOSED",
    "FEMALE_GENITALIA_EXPOSED",
    "BUTTOCKS_EXPOSED",
    "ANUS_EXPOSED",
    "FEMALE_BREAST_EXPOSED",
}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def rgb_of(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def as_rgb(pixels: np.ndarray) -> np.ndarray:
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    return np.ascontiguousarray(pixels[..., :3].astype(np.uint8))


def benign_photos() -> Iterator[tuple[str, np.ndarray]]:
    import skimage.data

    for name in SKIMAGE_SAMPLES:
        yield f"skimage.{name}", as_rgb(np.asarray(getattr(skimage.data, name)()))
    for name in ("bus.jpg", "zidane.jpg"):
        yield f"ultralytics/{name}", rgb_of(ultralytics_asset(name))
    faces = SHARED_DATA / "faces"
    if faces.is_dir():
        for path in sorted(faces.iterdir()):
            if path.suffix.lower() in IMAGE_SUFFIXES:
                yield f"faces/{path.name}", rgb_of(path)
    video = SHARED_DATA / "video" / "hamilton_clip.mp4"
    if video.is_file():
        capture = cv2.VideoCapture(str(video))
        step = max(1, round(capture.get(cv2.CAP_PROP_FPS) or 30))
        index = 0
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            if index % step == 0:
                yield f"hamilton_clip#{index}", cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            index += 1
        capture.release()


def folder_photos(folder: Path) -> Iterator[tuple[str, np.ndarray]]:
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in IMAGE_SUFFIXES:
            yield str(path), rgb_of(path)


def test_jpeg() -> tuple[bytes, np.ndarray]:
    """bus.jpg centre-cropped to 4:3 and resized to 640x480 (people, a bus, a street)."""
    image = Image.open(ultralytics_asset("bus.jpg")).convert("RGB")
    width, height = image.size
    crop = width * 3 // 4
    top = (height - crop) // 2
    image = image.crop((0, top, width, top + crop)).resize((640, 480), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue(), np.asarray(image)


def percentiles(values: list[float]) -> str:
    array = np.array(values)
    return (
        f"p50 {np.percentile(array, 50):6.1f} ms  p90 {np.percentile(array, 90):6.1f} ms  "
        f"mean {statistics.fmean(values):6.1f} ms"
    )


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def speed(moderator: Moderator, repeat: int, requests: int) -> None:
    jpeg, pixels = test_jpeg()
    rows = [
        ("NudeNet 320n (detect + decode)", timed(lambda: moderator.detector.detect(pixels), repeat)),
        ("open_nsfw", timed(lambda: moderator.classifier.nsfw_probability(pixels), repeat)),
        ("both + rules, in-process", timed(lambda: moderator.moderation_labels(pixels, 50), repeat)),
    ]
    if requests:
        with embedded_rekognition() as client:
            for _ in range(3):
                client.detect_moderation_labels(Image={"Bytes": jpeg})
            rows.append(
                (
                    "DetectModerationLabels via boto3",
                    timed(lambda: client.detect_moderation_labels(Image={"Bytes": jpeg}), requests),
                )
            )
    print(f"machine: {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()}")
    print(f"image: 640x480 JPEG ({len(jpeg)} bytes) from ultralytics bus.jpg; {repeat} runs in-process")
    for name, values in rows:
        print(f"  {name:34s} {percentiles(values)}")


def false_alarms(moderator: Moderator, photos: Iterator[tuple[str, np.ndarray]], title: str) -> None:
    total = flagged_50 = flagged_0 = explicit_0 = nudenet_alone = 0
    labels_seen: Counter[str] = Counter()
    nsfw: list[float] = []
    for name, pixels in photos:
        evidence = moderator.evidence(pixels)
        at_50 = moderation_labels(moderator.taxonomy, evidence, 50)
        at_0 = moderation_labels(moderator.taxonomy, evidence, 0)
        total += 1
        flagged_50 += bool(at_50)
        flagged_0 += bool(at_0)
        explicit_0 += any("Explicit" in (label["Name"], label["ParentName"]) for label in at_0)
        alone = {c for c, s in evidence.nudenet.items() if c in EXPLICIT_NUDENET and s >= 0.5}
        nudenet_alone += bool(alone)
        nsfw.append(evidence.open_nsfw)
        labels_seen.update(label["Name"] for label in at_50)
        if at_50 or alone:
            print(f"    {name}: labels@50={[label['Name'] for label in at_50]} nudenet-alone={sorted(alone)}")
    print(f"{title}: {total} images")
    if not total:
        return
    print(f"  any label at MinConfidence 50:    {flagged_50}/{total}")
    print(f"  any label at MinConfidence 0:     {flagged_0}/{total}")
    print(f"  an Explicit label at any confidence: {explicit_0}/{total}")
    print(f"  NudeNet alone (explicit class >= 0.5, no open_nsfw veto): {nudenet_alone}/{total}")
    print(
        f"  open_nsfw: max {max(nsfw):.3f}, median {statistics.median(nsfw):.4f}, >= 0.2: "
        f"{sum(v >= 0.2 for v in nsfw)}/{total}"
    )
    if labels_seen:
        print(f"  labels at 50: {dict(labels_seen)}")


def recall(moderator: Moderator, folder: Path) -> None:
    total = hits = 0
    for _, pixels in folder_photos(folder):
        labels = moderator.moderation_labels(pixels, 50)
        total += 1
        hits += any(label["Name"] == "Explicit" for label in labels)
    print(f"explicit folder {folder}: Explicit at MinConfidence 50 on {hits}/{total}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50, help="in-process runs for the timings")
    parser.add_argument("--requests", type=int, default=50, help="boto3 round trips (0: skip the server)")
    parser.add_argument("--explicit", type=Path, help="a folder of images that should be labelled Explicit")
    parser.add_argument("--benign", type=Path, help="a folder of images that should get no label")
    args = parser.parse_args()

    moderator: Moderator = ModelRegistry(Settings()).get(Task.CONTENT_MODERATION)
    speed(moderator, args.repeat, args.requests)
    print()
    false_alarms(moderator, benign_photos(), "benign photos available offline")
    if args.benign:
        false_alarms(moderator, folder_photos(args.benign), f"benign folder {args.benign}")
    if args.explicit:
        recall(moderator, args.explicit)
    else:
        print("recall: not measured (no explicit images offline; pass --explicit DIR)")


if __name__ == "__main__":
    main()
