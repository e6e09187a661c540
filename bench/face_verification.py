"""Face verification on the shared labelled photos: pairs, score distributions, accuracy, EER, fit.

Detects faces with BlazeFace, embeds them with :class:`argus.vision.faces.embedding.FaceEmbedder` and
scores every pair with :mod:`argus.vision.faces.similarity`. Pairs: every two labelled faces (same
person or not) of ``shared/data/faces`` (``identities.csv``): one face per single-person photo (the
largest), the two largest faces of each group photo. The identity column of a group photo says who is
in it, not in which order, so which face is whom was read off the photos by eye (:data:`GROUP_ORDER`,
left to right) and checked against the column. ``group_two_people.jpg`` is labelled ``unknown``: its two
faces give only their own different-person pair.

    .venv/bin/python bench/face_verification.py [--fit] [--timing] [--faces DIR] [--detector FILE]

It also repeats the accuracy with the faces given to the embedder as boxes only (no eye keypoints) and
as the boxes DetectFaces reports (extended to the chin), and scores the astronaut against changed copies
of itself. ``--fit`` prints the pooled-variance logistic fit that ``similarity.py``'s constants come
from; ``--timing`` measures the embedding time per face, one call per face vs one batched call.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import math
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "services"))

from argus.core.images import decode_image  # noqa: E402
from argus.vision.faces.blazeface import BlazeFaceDetector, DetectedFace  # noqa: E402
from argus.vision.faces.embedding import FaceEmbedder  # noqa: E402
from argus.vision.faces.similarity import (  # noqa: E402
    DISTANCE_AT_80,
    DISTANCE_AT_99,
    SLOPE,
    cosine_for_similarity,
    similarities,
    similarity_from_distance,
)

FACES = ROOT.parent / "shared" / "data" / "faces"
DETECTOR = Path.home() / ".cache/argus/models/mediapipe/face_detection_full_range_sparse.tflite"
THRESHOLD = 80.0

# Who is who in the group photos, left to right (read off the photos).
GROUP_ORDER = {
    "group_obama_biden.jpg": ("biden", "obama"),
    "group_harington_leslie.jpg": ("leslie", "harington"),
}


@dataclass(frozen=True)
class Face:
    file: str
    identity: str | None  # None: unknown person
    vector: NDArray[np.float32]


def load(path: Path) -> NDArray[np.uint8]:
    """The photo as the service sees it: EXIF orientation applied, alpha dropped."""
    return np.asarray(decode_image(path.read_bytes()).pixels)


def pick(faces: list[DetectedFace], count: int) -> list[DetectedFace]:
    """The ``count`` largest detections, left to right."""
    largest = sorted(faces, key=lambda f: f.width * f.height, reverse=True)[:count]
    return sorted(largest, key=lambda f: f.box[0])


def embed(
    embedder: FaceEmbedder, rgb: NDArray[np.uint8], faces: list[DetectedFace], mode: str
) -> NDArray[np.float32]:
    """``eyes``: boxes and eye keypoints (the default); ``box``: boxes only; ``chin``: boxes extended
    downwards by 10 % of their height (DetectFaces' BoundingBox), no eyes."""
    if mode == "eyes":
        return embedder.embed_faces(rgb, faces)
    extend = 0.1 if mode == "chin" else 0.0
    boxes = [(x0, y0, x1, y1 + extend * (y1 - y0)) for x0, y0, x1, y1 in (f.box for f in faces)]
    return embedder.embed(rgb, boxes)


def labelled_faces(
    folder: Path, detector: BlazeFaceDetector, embedder: FaceEmbedder, mode: str = "eyes"
) -> list[Face]:
    faces: list[Face] = []
    with (folder / "identities.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            names = row["identity"].split(";")
            count = int(row["min_faces"])
            rgb = load(folder / row["file"])
            found = pick(detector.detect(rgb), count)
            if len(found) < count:
                raise SystemExit(f"{row['file']}: found {len(found)} faces, expected {count}")
            if count == 1:
                labels: tuple[str | None, ...] = (names[0],)
            elif names == ["unknown"]:
                labels = (None,) * count
            else:
                labels = GROUP_ORDER[row["file"]]
                if sorted(labels) != sorted(names):
                    raise SystemExit(f"{row['file']}: GROUP_ORDER {labels} does not match {names}")
            vectors = embed(embedder, rgb, found, mode)
            faces.extend(
                Face(row["file"], label, vector) for label, vector in zip(labels, vectors, strict=True)
            )
    return faces


@dataclass(frozen=True)
class Pair:
    a: Face
    b: Face
    distance: float  # euclidean, unit vectors
    same: bool


def pairs(faces: list[Face]) -> list[Pair]:
    """Every two labelled faces, plus the two unknown people of one photo (a different-person pair)."""
    found: list[Pair] = []
    for a, b in itertools.combinations(faces, 2):
        d = float(np.linalg.norm(a.vector.astype(np.float64) - b.vector.astype(np.float64)))
        if a.identity is None or b.identity is None:
            if a.file == b.file:
                found.append(Pair(a, b, d, same=False))
            continue
        found.append(Pair(a, b, d, same=a.identity == b.identity))
    return found


def split(found: list[Pair]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Distances of the same-person pairs and of the different-person pairs."""
    return (
        np.array([p.distance for p in found if p.same]),
        np.array([p.distance for p in found if not p.same]),
    )


def accuracy(same: NDArray[np.float64], different: NDArray[np.float64]) -> tuple[int, int]:
    """(correct, total) at :data:`THRESHOLD` for same-person and different-person distances."""
    correct = int(np.sum(similarity_from_distance(same) >= THRESHOLD))
    correct += int(np.sum(similarity_from_distance(different) < THRESHOLD))
    return correct, len(same) + len(different)


def equal_error_rate(same: NDArray[np.float64], different: NDArray[np.float64]) -> tuple[float, float]:
    """(EER, score threshold reaching it): the smallest max(FAR, FRR), accepting when score >= threshold."""
    best = (math.inf, 0.0)
    for t in np.unique(np.concatenate([same, different])):
        eer = max(float(np.mean(different >= t)), float(np.mean(same < t)))
        if eer < best[0]:
            best = (eer, float(t))
    return best


def fit(same: NDArray[np.float64], different: NDArray[np.float64]) -> tuple[float, float]:
    """Pooled-variance normal model of the two distance classes -> (midpoint, slope) of the log-odds."""
    variance = (float(np.var(same, ddof=1)) + float(np.var(different, ddof=1))) / 2.0
    slope = (float(different.mean()) - float(same.mean())) / variance
    midpoint = (float(same.mean()) + float(different.mean())) / 2.0
    return midpoint, slope


def describe(values: NDArray[np.float64]) -> str:
    return f"min {values.min():7.3f}  median {float(np.median(values)):7.3f}  max {values.max():7.3f}"


def jpeg(rgb: NDArray[np.uint8], quality: int) -> NDArray[np.uint8]:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return np.asarray(decode_image(buffer.getvalue()).pixels)


def same_photo_checks(detector: BlazeFaceDetector, embedder: FaceEmbedder) -> None:
    import skimage.data

    astronaut = np.ascontiguousarray(skimage.data.astronaut())  # type: ignore[no-untyped-call]
    reference = embedder.embed_faces(astronaut, detector.detect(astronaut)[:1])[0]
    variants = {
        "horizontal flip": np.ascontiguousarray(astronaut[:, ::-1]),
        "rescaled 0.6x": cv2.resize(astronaut, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA),
        "rescaled 0.3x": cv2.resize(astronaut, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA),
        "JPEG q=40": jpeg(astronaut, 40),
    }
    h, w = astronaut.shape[:2]
    for angle in (30, 60, 90):
        warp = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        variants[f"rotated {angle} deg"] = cv2.warpAffine(
            astronaut, warp, (w, h), borderMode=cv2.BORDER_REFLECT
        )
    print("\nSame photo (skimage astronaut) after a change:")
    for name, rgb in variants.items():
        rgb = np.ascontiguousarray(rgb)
        face = max(detector.detect(rgb), key=lambda f: f.width)
        vector = embedder.embed_faces(rgb, [face])[0]
        d = float(np.linalg.norm(vector.astype(np.float64) - reference))
        plain = embedder.embed(rgb, [face.box])[0]
        d_plain = float(np.linalg.norm(plain.astype(np.float64) - reference))
        print(
            f"  {name:18s} d {d:.3f}  similarity {similarities(reference, vector[None])[0]:6.2f}"
            f"   (box only, no eyes: d {d_plain:.3f}, {similarities(reference, plain[None])[0]:6.2f})"
        )


def ultralytics_zidane(detector: BlazeFaceDetector, embedder: FaceEmbedder) -> None:
    import importlib.util

    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        return
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / "zidane.jpg"
    rgb = load(path)
    faces = pick(detector.detect(rgb), 2)
    vectors = embedder.embed_faces(rgb, faces)
    score = similarities(vectors[0], vectors[1:])[0]
    print(f"\nultralytics zidane.jpg, Ancelotti vs Zidane: similarity {score:.2f}")


def ms(seconds: list[float]) -> str:
    return f"{1000 * statistics.median(seconds):6.1f} (best {1000 * min(seconds):6.1f}) ms/face"


def timing(detector: BlazeFaceDetector, embedder: FaceEmbedder, folder: Path, repeats: int) -> None:
    import skimage.data

    rgb = np.ascontiguousarray(skimage.data.astronaut())  # type: ignore[no-untyped-call]
    face = detector.detect(rgb)[0]
    print(f"\nEmbedding time ({os.cpu_count()} CPUs, {platform.machine()}; median and best of {repeats}):")
    for count in (1, 2, 4, 8):
        faces = [face] * count
        embedder.embed_faces(rgb, faces)
        one, batched = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            for single in faces:
                embedder.embed_faces(rgb, [single])
            one.append((time.perf_counter() - start) / count)
            start = time.perf_counter()
            embedder.embed_faces(rgb, faces)
            batched.append((time.perf_counter() - start) / count)
        print(
            f"  {count} face(s) of the astronaut: one call per face {ms(one)}, one batched call {ms(batched)}"
        )
    group = load(folder / "group_obama_biden.jpg")
    faces = pick(detector.detect(group), 2)
    embedder.embed_faces(group, faces)
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        embedder.embed_faces(group, faces)
        runs.append(time.perf_counter() - start)
    print(f"  group_obama_biden.jpg (2000x1428, 2 faces, one call): {ms([run / 2 for run in runs])}")
    start = time.perf_counter()
    for _ in range(repeats):
        embedder.landmarks5(rgb, face.box, ((1.0, 0.0), (2.0, 0.3)))
    elapsed = (time.perf_counter() - start) / repeats
    print(f"  5-point landmarks incl. the upright warp: {1000 * elapsed:.2f} ms/face")


def report(faces: list[Face]) -> None:
    found = pairs(faces)
    same, different = split(found)
    named = {face.identity for face in faces if face.identity}
    print(
        f"{len(faces)} faces of {len(named)} named people; {len(same)} same-person and {len(different)} "
        f"different-person pairs"
    )
    print(
        f"Score: logistic in the unit-vector distance d, 80 at d = {DISTANCE_AT_80:.4f} "
        f"(cosine {cosine_for_similarity(80.0):.4f}), 99 at d = {DISTANCE_AT_99:.4f} "
        f"(cosine {cosine_for_similarity(99.0):.4f}), slope {SLOPE}"
    )
    same_scores = similarity_from_distance(same)
    different_scores = similarity_from_distance(different)
    print("\nDistance d (unit vectors):")
    print(f"  same person       {describe(same)}")
    print(f"  different people  {describe(different)}")
    print("Similarity (0-100):")
    print(f"  same person       {describe(same_scores)}")
    print(f"  different people  {describe(different_scores)}")
    correct, total = accuracy(same, different)
    print(
        f"\nAt threshold {THRESHOLD:.0f}: accuracy {correct}/{total} = {100 * correct / total:.1f} %; "
        f"same pairs below: {int(np.sum(same_scores < THRESHOLD))}, "
        f"different pairs at or above: {int(np.sum(different_scores >= THRESHOLD))}"
    )
    eer, at = equal_error_rate(same_scores, different_scores)
    print(f"EER {100 * eer:.1f} % (score threshold {at:.4g})")
    if same.max() < different.min():
        print(
            f"  no overlap: any distance threshold in ({same.max():.3f}, {different.min():.3f}) separates "
            f"the classes, i.e. any score threshold in ({similarity_from_distance(different.min()):.2f}, "
            f"{similarity_from_distance(same.max()):.2f}]"
        )

    print("\nHardest pairs:")
    hardest_same = sorted((p for p in found if p.same), key=lambda p: -p.distance)[:3]
    hardest_different = sorted((p for p in found if not p.same), key=lambda p: p.distance)[:3]
    for p in hardest_same + hardest_different:
        print(
            f"  {'same' if p.same else 'different':9s} {p.a.file} ({p.a.identity}) ~ {p.b.file} "
            f"({p.b.identity}): d {p.distance:.3f}, similarity {similarity_from_distance(p.distance):.2f}"
        )

    unknown = [face for face in faces if face.identity is None]
    gallery = [face for face in faces if face.identity]
    if unknown:
        print("\nThe unknown faces (left to right), their best match among the named faces:")
        matrix = np.stack([face.vector for face in gallery])
        for face in unknown:
            scores = similarities(face.vector, matrix)
            best = int(np.argmax(scores))
            print(f"  {face.file}: {gallery[best].identity} ({gallery[best].file}) {scores[best]:.2f}")


def report_fit(faces: list[Face]) -> None:
    same, different = split(pairs(faces))
    midpoint, slope = fit(same, different)
    variance = (np.var(same, ddof=1) + np.var(different, ddof=1)) / 2
    print(
        f"\nFit: same mean {same.mean():.4f} sd {same.std(ddof=1):.4f} (n={len(same)}); "
        f"different mean {different.mean():.4f} sd {different.std(ddof=1):.4f} (n={len(different)})"
    )
    print(
        f"  pooled variance {variance:.6f} -> SLOPE {slope:.2f}, DISTANCE_AT_80 {midpoint:.4f} "
        f"(cosine {1 - midpoint**2 / 2:.4f})"
    )
    print("  leave one person out (their pairs dropped):")
    for person in sorted({face.identity for face in faces if face.identity}):
        m, k = fit(*split(pairs([face for face in faces if face.identity != person])))
        print(f"    without {person:10s} SLOPE {k:6.1f}  DISTANCE_AT_80 {m:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--faces", type=Path, default=FACES)
    parser.add_argument("--detector", type=Path, default=DETECTOR)
    parser.add_argument("--fit", action="store_true", help="print the calibration fit")
    parser.add_argument("--timing", action="store_true", help="measure ms per face")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    detector = BlazeFaceDetector(args.detector)
    embedder = FaceEmbedder.from_files()
    faces = labelled_faces(args.faces, detector, embedder)
    report(faces)
    if args.fit:
        report_fit(faces)

    print("\nOther ways of giving the faces to the embedder:")
    for mode in ("box", "chin"):
        same, different = split(pairs(labelled_faces(args.faces, detector, embedder, mode)))
        correct, total = accuracy(same, different)
        print(
            f"  {mode:4s} accuracy at 80: {correct}/{total}, largest same-person d {same.max():.3f}, "
            f"smallest different-people d {different.min():.3f}"
        )

    same_photo_checks(detector, embedder)
    ultralytics_zidane(detector, embedder)
    if args.timing:
        timing(detector, embedder, args.faces, args.repeats)


if __name__ == "__main__":
    main()
