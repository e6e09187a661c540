"""DetectProtectiveEquipment: milliseconds per 640x480 image and the measured accuracy of each signal.

Images: ``shared/data/faces/*`` (read in place, never copied), frames 0/100/180/240 of
``shared/data/video/hamilton_clip.mp4``, ``skimage.data.astronaut()``, ultralytics' ``bus.jpg`` and
``zidane.jpg``. Labels, by looking at them: nobody wears a face cover or a head cover; every visible hand
is bare except both of Kit Harington's in ``harington_3.jpg`` (brown leather gloves) - :data:`GLOVED`.

Real covered faces and heads are not available offline, so positives are also synthesised on the same
photos, where the clean image's analysis located the part (documented as synthetic in docs/ppe.md):

* face covers: a surgical-mask polygon (light blue, white or black, with shading) from just below the
  eyes to below the chin, ear to ear;
* head covers: a hard-hat dome (yellow, orange, white, blue, red) over the crown with a brim;
* hand covers: the hand box's person pixels recoloured as a glove (blue nitrile, black, white, yellow),
  keeping their shading.

Each positive counts as found when the analysis of the modified image reports that cover type on that
body part of the person at the same place. ``--show`` prints every decision.

    .venv/bin/python bench/ppe_accuracy.py [--faces DIR] [--show] [--speed-only]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.ppe.detector import EQUIPMENT_TYPES, PersonEquipment, ProtectiveEquipmentDetector

RGB = NDArray[np.uint8]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
GLOVED = {"harington_3"}
MASK_COLOURS = {"blue": (170, 205, 235), "white": (238, 238, 238), "black": (35, 35, 40)}
HAT_COLOURS = {
    "yellow": (250, 205, 20),
    "orange": (250, 110, 20),
    "white": (242, 242, 242),
    "blue": (25, 75, 205),
    "red": (200, 25, 30),
}
GLOVE_COLOURS = {
    "blue": (60, 110, 220),
    "black": (35, 35, 35),
    "white": (230, 230, 230),
    "yellow": (230, 200, 40),
}


def load(path: Path) -> RGB:
    with Image.open(path) as image:
        return np.ascontiguousarray(np.asarray(ImageOps.exif_transpose(image).convert("RGB")))


def images(faces_dir: Path) -> Iterator[tuple[str, RGB]]:
    import skimage.data

    yield "astronaut", np.ascontiguousarray(skimage.data.astronaut())
    spec = importlib.util.find_spec("ultralytics")
    if spec is not None and spec.submodule_search_locations:
        assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
        for name in ("bus", "zidane"):
            yield name, load(assets / f"{name}.jpg")
    for path in sorted(faces_dir.glob("*")):
        if path.suffix.lower() in {".jpg", ".jpeg", ".png"}:
            yield path.stem, load(path)
    video = faces_dir.parent / "video" / "hamilton_clip.mp4"
    if video.is_file():
        capture = cv2.VideoCapture(str(video))
        for frame in (0, 100, 180, 240):
            capture.set(cv2.CAP_PROP_POS_FRAMES, frame)
            ok, bgr = capture.read()
            if ok:
                yield f"hamilton@{frame}", np.ascontiguousarray(bgr[:, :, ::-1])


def shade(
    region: NDArray[np.float64], colour: tuple[int, int, int], lum: NDArray[np.float64]
) -> NDArray[np.uint8]:
    """``colour`` modulated by a luminance map around 1.0."""
    return np.clip(np.array(colour, dtype=np.float64)[None, :] * lum[:, None], 0, 255).astype(np.uint8)


def with_face_mask(rgb: RGB, face: tuple[float, float, float, float], colour: tuple[int, int, int]) -> RGB:
    left, top, right, bottom = face
    w, h = right - left, bottom - top
    polygon = np.array(
        [
            (left + 0.02 * w, top + 0.45 * h),
            (left + 0.5 * w, top + 0.38 * h),
            (right - 0.02 * w, top + 0.45 * h),
            (right - 0.06 * w, top + 0.85 * h),
            (left + 0.5 * w, bottom + 0.05 * h),
            (left + 0.06 * w, top + 0.85 * h),
        ],
        dtype=np.int32,
    )
    out = rgb.copy()
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [polygon], 1)
    ys, xs = np.nonzero(mask)
    lum = 0.85 + 0.15 * np.cos((xs - (left + w / 2)) / max(w, 1.0) * np.pi)  # rounded over the face
    out[ys, xs] = shade(np.zeros(0), colour, lum)
    return out


def with_hard_hat(
    rgb: RGB,
    head: tuple[float, float, float, float],
    face: tuple[float, float, float, float],
    colour: tuple[int, int, int],
) -> RGB:
    left, top, right, bottom = face
    w, h = right - left, bottom - top
    centre = (int(left + w / 2), int(top + 0.1 * h))
    out = rgb.copy()
    mask = np.zeros(rgb.shape[:2], np.uint8)
    axes = (int(0.68 * w), int(max(top + 0.1 * h - head[1], 0.55 * h)))
    cv2.ellipse(mask, centre, axes, 0, 180, 360, 1, -1)  # dome
    cv2.rectangle(
        mask,
        (int(left - 0.25 * w), centre[1] - int(0.04 * h)),
        (int(right + 0.25 * w), centre[1] + int(0.06 * h)),
        1,
        -1,
    )  # brim
    ys, xs = np.nonzero(mask)
    lum = 1.05 - 0.25 * (ys - ys.min()) / max(1, ys.max() - ys.min())  # lit from above
    out[ys, xs] = shade(np.zeros(0), colour, lum)
    return out


def with_glove(
    rgb: RGB, person: PersonEquipment, hand: tuple[float, float, float, float], colour: tuple[int, int, int]
) -> RGB:
    height, width = rgb.shape[:2]
    left, top = max(0, int(hand[0])), max(0, int(hand[1]))
    right, bottom = min(width, int(hand[2])), min(height, int(hand[3]))
    ys, xs = np.mgrid[top:bottom, left:right]
    xy = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1).astype(np.float64)
    inside = person.person.pose.mask_at(xy) >= 0.5
    ys, xs = ys.ravel()[inside], xs.ravel()[inside]
    out = rgb.copy()
    if len(ys) == 0:
        return out
    grey = rgb[ys, xs].astype(np.float64).mean(axis=1)
    lum = 0.6 + 0.8 * grey / max(float(grey.mean()), 1.0) * 0.5
    out[ys, xs] = shade(np.zeros(0), colour, lum)
    return out


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.hits += int(hit)
        self.total += 1

    def __str__(self) -> str:
        if self.total == 0:
            return "n/a (no samples)"
        return f"{self.hits}/{self.total} = {100.0 * self.hits / self.total:.1f} %"


def has_cover(persons: list[PersonEquipment], part_name: str, kind: str, near: tuple[float, float]) -> bool:
    """Whether the person whose ``part_name`` box contains ``near`` has ``kind`` on it."""
    for person in persons:
        part = person.part(part_name)
        if part is None:
            continue
        left, top, right, bottom = part.box
        grow = 0.5 * max(right - left, bottom - top)
        if left - grow <= near[0] <= right + grow and top - grow <= near[1] <= bottom + grow:
            return any(item.type == kind and item.covers for item in part.equipment)
    return False


def centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--faces", type=Path, default=SHARED / "faces")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--speed-only", action="store_true", help="stop after the timing")
    args = parser.parse_args()
    model_dir = Settings().model_dir
    detector = ProtectiveEquipmentDetector.from_dirs(
        model_dir / files.MEDIAPIPE_BODY.subdir,
        model_dir / files.MEDIAPIPE.subdir,
        model_dir / files.FACE_MASK.subdir,
        enabled=EQUIPMENT_TYPES,  # every signal, HAND_COVER included, to measure it
    )
    photos = list(images(args.faces))
    detector.analyze(photos[0][1])  # warm-up (torch, interpreters)

    # Speed: every photo resized to 640x480.
    times = []
    cpu_times = []
    persons_found = []
    for _, rgb in photos:
        small = np.ascontiguousarray(cv2.resize(rgb, (640, 480), interpolation=cv2.INTER_AREA))
        start, cpu_start = time.perf_counter(), time.process_time()
        persons_found.append(len(detector.analyze(small)))
        times.append((time.perf_counter() - start) * 1000.0)
        cpu_times.append((time.process_time() - cpu_start) * 1000.0)
    print(
        f"images: {len(photos)}; ms per 640x480 image: median {statistics.median(times):.0f}, "
        f"max {max(times):.0f} (wall); CPU time median {statistics.median(cpu_times):.0f} ms "
        f"(all threads); persons per image: mean {statistics.mean(persons_found):.2f}"
    )
    if args.speed_only:
        return

    face_bare, head_bare, hand_bare, hand_gloved = Tally(), Tally(), Tally(), Tally()
    face_masked = {colour: Tally() for colour in MASK_COLOURS}
    head_hat = {colour: Tally() for colour in HAT_COLOURS}
    hand_glove = {colour: Tally() for colour in GLOVE_COLOURS}
    face_found_masked = Tally()
    for name, rgb in photos:
        persons = detector.analyze(rgb)
        for index, person in enumerate(persons):
            for part in person.body_parts:
                kinds = {item.type for item in part.equipment if item.covers}
                if part.name == "FACE":
                    face_bare.add("FACE_COVER" not in kinds)
                elif part.name == "HEAD":
                    head_bare.add("HEAD_COVER" not in kinds)
                else:
                    (hand_gloved if name in GLOVED else hand_bare).add(
                        ("HAND_COVER" in kinds) == (name in GLOVED)
                    )
                if args.show:
                    print(f"  {name}#{index} {part.name} {part.confidence:.2f} {sorted(kinds) or 'bare'}")
            face = person.part("FACE")
            head = person.part("HEAD")
            if face is not None:
                for colour, value in MASK_COLOURS.items():
                    masked = detector.analyze(with_face_mask(rgb, face.box, value))
                    found = any(
                        p.part("FACE") is not None
                        and abs(centre(p.part("FACE").box)[0] - centre(face.box)[0])
                        < face.box[2] - face.box[0]
                        for p in masked
                    )  # type: ignore[union-attr]
                    face_found_masked.add(found)
                    face_masked[colour].add(has_cover(masked, "FACE", "FACE_COVER", centre(face.box)))
            if face is not None and head is not None:
                for colour, value in HAT_COLOURS.items():
                    hatted = detector.analyze(with_hard_hat(rgb, head.box, face.box, value))
                    head_hat[colour].add(has_cover(hatted, "HEAD", "HEAD_COVER", centre(head.box)))
            if name not in GLOVED:
                for part in person.body_parts:
                    if part.name in ("LEFT_HAND", "RIGHT_HAND"):
                        for colour, value in GLOVE_COLOURS.items():
                            gloved = detector.analyze(with_glove(rgb, person, part.box, value))
                            hand_glove[colour].add(
                                has_cover(gloved, part.name, "HAND_COVER", centre(part.box))
                            )
    print("\nFACE_COVER (face-mask classifier)")
    print(f"  real bare faces with no FACE_COVER (specificity): {face_bare}")
    print(f"  synthetic masked faces still found as FACE: {face_found_masked}")
    for colour, tally in face_masked.items():
        print(f"  synthetic {colour} masks detected (sensitivity): {tally}")
    print("\nHEAD_COVER (colour signal)")
    print(f"  real bare heads with no HEAD_COVER (specificity): {head_bare}")
    for colour, tally in head_hat.items():
        print(f"  synthetic {colour} hard hats detected (sensitivity): {tally}")
    print("\nHAND_COVER (colour signal)")
    print(f"  real bare hands with no HAND_COVER (specificity): {hand_bare}")
    print(f"  real gloved hands (harington_3, brown leather) with HAND_COVER (sensitivity): {hand_gloved}")
    for colour, tally in hand_glove.items():
        print(f"  synthetic {colour} gloves detected (sensitivity): {tally}")


if __name__ == "__main__":
    sys.exit(main())
