"""DetectLabels models: milliseconds per 640x480 image, classification top-1 / top-5, person boxes.

Images are the real photos that install with the test tools (read in place, never copied):
``skimage.data`` (chelsea, coffee, rocket, stereo_motorcycle, camera, clock, astronaut), ultralytics'
``bus.jpg`` and ``zidane.jpg``, and ``shared/data/faces`` when present.

* Classification: each photo is labelled by looking at it with the ImageNet classes that name what it
  shows (:data:`CLASSES`) and the taxonomy label a person would expect (:data:`EXPECTED_LABEL`).
  Top-k counts a photo when one of its classes is among the classifier's k most probable classes;
  the label check asks whether the expected label reaches the default MinConfidence of 55.
* People: boxes drawn by hand on bus.jpg (4 people), zidane.jpg (2) and astronaut (1); a detection
  matches a box at IoU >= 0.5. Photos without people (:data:`NO_PEOPLE`) count false people. On
  ``shared/data/faces`` the count of people found is compared with the number of faces listed in
  ``identities.csv`` (every listed face belongs to a visible person).
* Speed: every photo resized to 640x480, the classifier, the person detector and the whole label
  detector timed separately (median of :data:`REPEATS` runs after a warm-up).

    .venv/bin/python bench/detect_labels_accuracy.py [--repeats N] [--torch-threads N]

``--torch-threads`` (default 1) sets torch's intra-op threads: on this 2-core machine, with other
processes busy, torch's default of one thread per core spins against them and runs the classifier 3-5
times slower than one thread does. The load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.labels.classifier import WEIGHTS_FILE, ImageNetClassifier, resolve_device
from argus.vision.labels.detector import LabelDetector
from argus.vision.labels.persons import PersonDetector
from argus.vision.labels.taxonomy import load_taxonomy

RGB = NDArray[np.uint8]
REPEATS = 10
SHARED_FACES = Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"

CLASSES: dict[str, set[str]] = {
    "chelsea": {"tabby", "tiger cat", "Egyptian cat"},
    "coffee": {"espresso", "cup", "coffee mug"},
    "rocket": {"space shuttle", "missile", "projectile"},
    "stereo_motorcycle": {"moped", "motor scooter"},
    "camera": {"tripod", "reflex camera", "Polaroid camera"},
    "clock": {"wall clock", "analog clock"},
    "bus": {"minibus", "school bus", "trolleybus", "passenger car"},
}
EXPECTED_LABEL: dict[str, str] = {
    "chelsea": "Cat",
    "coffee": "Coffee Cup",
    "rocket": "Space Shuttle",
    "stereo_motorcycle": "Motorcycle",
    "camera": "Tripod",
    "clock": "Clock",
    "bus": "Bus",
}
PEOPLE: dict[str, list[tuple[float, float, float, float]]] = {
    "bus": [(50, 396, 244, 904), (220, 406, 356, 860), (666, 390, 810, 880), (0, 550, 74, 864)],
    "zidane": [(747, 40, 1141, 712), (123, 196, 710, 714)],
    "astronaut": [(5, 60, 370, 512)],
}
NO_PEOPLE = ("chelsea", "coffee", "rocket", "stereo_motorcycle", "clock")


def rgb(array: NDArray[np.generic]) -> RGB:
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    return np.ascontiguousarray(array[:, :, :3].astype(np.uint8))


def load_rgb(path: Path) -> RGB:
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def photos() -> dict[str, RGB]:
    import skimage.data

    found = {
        "chelsea": rgb(skimage.data.chelsea()),
        "coffee": rgb(skimage.data.coffee()),
        "rocket": rgb(skimage.data.rocket()),
        "stereo_motorcycle": rgb(skimage.data.stereo_motorcycle()[0]),
        "camera": rgb(skimage.data.camera()),
        "clock": rgb(skimage.data.clock()),
        "astronaut": rgb(skimage.data.astronaut()),
    }
    spec = importlib.util.find_spec("ultralytics")
    if spec is not None and spec.submodule_search_locations:
        assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
        found["bus"] = load_rgb(assets / "bus.jpg")
        found["zidane"] = load_rgb(assets / "zidane.jpg")
    return found


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def median_ms(run: Callable[[], object], repeats: int) -> float:
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(1000.0 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--torch-threads", type=int, default=1)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.torch_threads)
    settings = Settings()
    device = resolve_device(settings.device)
    classifier = ImageNetClassifier(settings.model_dir / files.MOBILENET_V2.subdir / WEIGHTS_FILE, device)
    people = PersonDetector(settings.model_dir / files.MEDIAPIPE_BODY.subdir)
    taxonomy = load_taxonomy()
    detector = LabelDetector(taxonomy, classifier, people=people)
    images = photos()

    print(f"device: {device}, torch threads: {torch.get_num_threads()}, load average: {os.getloadavg()}")
    print("\n== classification (ImageNet classes; label at MinConfidence 55) ==")
    top1 = top5 = labelled = label_hits = 0
    for name, accepted in CLASSES.items():
        if name not in images:
            continue
        probabilities = classifier.probabilities(images[name])
        ranked = [taxonomy.imagenet_names[index] for index in np.argsort(-probabilities)[:5]]
        labels = {label.name: label.confidence for label in detector.detect(images[name])}
        expected = EXPECTED_LABEL[name]
        labelled += 1
        top1 += ranked[0] in accepted
        top5 += bool(accepted & set(ranked))
        label_hits += labels.get(expected, 0.0) >= 55
        best = ", ".join(
            f"{cls} {100 * probabilities[taxonomy.imagenet_names.index(cls)]:.0f}" for cls in ranked[:3]
        )
        print(f"{name:18s} top-3: {best:60s} {expected}: {labels.get(expected, 0.0):5.1f}")
    print(f"top-1 {top1}/{labelled}, top-5 {top5}/{labelled}, expected label >= 55: {label_hits}/{labelled}")

    print("\n== people (IoU >= 0.5 with hand-drawn boxes) ==")
    matched = total = found_total = 0
    for name, truth in PEOPLE.items():
        if name not in images:
            continue
        found = [person.box for person in people.detect(images[name])]
        ious = [max((iou(box, other) for other in found), default=0.0) for box in truth]
        matched += sum(value >= 0.5 for value in ious)
        total += len(truth)
        found_total += len(found)
        print(
            f"{name:10s} {len(truth)} people, found {len(found)}; best IoU per person: "
            + ", ".join(f"{value:.2f}" for value in ious)
        )
    print(f"recall {matched}/{total}, precision {matched}/{found_total}")
    false_people = {name: len(people.detect(images[name])) for name in NO_PEOPLE if name in images}
    print(f"people found in photos without people: {false_people}")
    if (SHARED_FACES / "identities.csv").is_file():
        with (SHARED_FACES / "identities.csv").open() as listing:
            rows = list(csv.DictReader(listing))
        counts = []
        for row in rows:
            found = len(people.detect(load_rgb(SHARED_FACES / row["file"])))
            counts.append((row["file"], int(row["min_faces"]), found))
        with_person = sum(found >= 1 for _, _, found in counts)
        enough = sum(found >= faces for _, faces, found in counts)
        print(
            f"shared/data/faces: Person found in {with_person}/{len(counts)} photos; "
            f"at least one per listed face in {enough}/{len(counts)}"
        )
        for file, faces, found in counts:
            if found < faces:
                print(f"  {file}: {faces} faces listed, {found} people found")

    print(f"\n== speed, 640x480, median of {args.repeats} ==")
    for name, image in images.items():
        small = cv2.resize(image, (640, 480), interpolation=cv2.INTER_AREA)
        cls = median_ms(lambda small=small: classifier.probabilities(small), args.repeats)
        ppl = median_ms(lambda small=small: people.detect(small), args.repeats)
        total_ms = median_ms(lambda small=small: detector.detect(small), args.repeats)
        print(f"{name:18s} classifier {cls:6.1f} ms  people {ppl:6.1f} ms  all models {total_ms:6.1f} ms")


if __name__ == "__main__":
    main()
