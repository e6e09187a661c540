"""Accuracy of the DetectFaces attributes on hand-labelled real faces, and milliseconds per face.

Faces: every face that ``FaceAnalyzer`` finds in ``shared/data/faces/*`` (read in place, never copied),
``skimage.data.astronaut()`` and ultralytics' ``zidane.jpg`` / ``bus.jpg``, labelled by looking at them
(:data:`LABELS`; ``None`` = could not tell, left out). Ages are intervals from the person's birth year and
the photo's approximate year. FaceOccluded is also measured on copies of the faces with a patch of another
real photo (skimage coffee / chelsea, ultralytics bus) pasted over the nose and mouth, the way a mask or an
object would cover them.

    .venv/bin/python bench/face_attributes_accuracy.py [--faces DIR] [--features]

``--features`` also prints the raw measurements behind the signal-based attributes (for calibration).
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.faces.analyzer import FaceAnalyzer
from argus.vision.faces.attributes import FaceAttributes, expression, eyewear, facial_hair, gaze, occlusion
from argus.vision.faces.attributes.geometry import face_frame
from argus.vision.faces.attributes.skin import skin_reference

RGB = NDArray[np.uint8]
T, F, N = True, False, None
ALL = frozenset({"ALL"})
BOOLEAN = ("Smile", "MouthOpen", "EyesOpen", "Eyeglasses", "Sunglasses", "Beard", "Mustache", "FaceOccluded")


@dataclass(frozen=True)
class Label:
    gender: str
    smile: bool | None
    mouth_open: bool | None
    eyes_open: bool | None
    eyeglasses: bool | None
    sunglasses: bool | None
    beard: bool | None
    mustache: bool | None
    occluded: bool | None
    age: tuple[int, int] | None  # true age interval
    gaze: str | None = None  # "camera" (|Yaw| < 15) or "left" (Yaw < -10: eyes turned to the image's left)


# "image#k": k-th face of the image, largest first (FaceAnalyzer's order).
LABELS: dict[str, Label] = {
    "astronaut#0": Label("Female", T, T, T, F, F, F, F, F, (35, 43), "camera"),
    "zidane#0": Label("Male", F, F, T, F, F, F, F, F, (52, 56)),
    "zidane#1": Label("Male", F, T, N, F, F, F, F, F, (40, 43)),
    "bus#0": Label("Male", F, F, N, T, T, T, T, N, None),
    "bus#1": Label("Male", F, F, N, T, T, F, F, T, None),
    "biden_1#0": Label("Male", F, F, T, F, F, F, F, F, (66, 74)),
    "biden_2#0": Label("Male", T, T, T, F, F, F, F, F, (66, 74), "camera"),
    "group_harington_leslie#0": Label("Male", F, F, T, F, F, T, T, F, (25, 30)),
    "group_harington_leslie#1": Label("Female", T, T, T, F, F, F, F, F, (25, 30), "camera"),
    "group_obama_biden#0": Label("Male", T, T, N, F, F, F, F, F, (64, 68)),
    "group_obama_biden#1": Label("Male", N, F, T, F, F, F, F, F, (46, 50)),
    "group_two_people#0": Label("Male", F, F, T, F, F, F, F, F, (66, 74)),
    "group_two_people#1": Label("Male", N, F, T, F, F, F, F, F, (47, 55)),
    "harington_1#0": Label("Male", F, F, T, F, F, T, T, F, (28, 33)),
    "harington_2#0": Label("Male", F, F, T, F, F, T, T, F, (27, 31)),
    "harington_3#0": Label("Male", F, F, T, F, F, T, T, F, (28, 32)),
    "lacamoire_1#0": Label("Male", T, T, T, F, F, T, T, F, (40, 46), "camera"),
    "lacamoire_2#0": Label("Male", T, T, T, F, F, T, T, F, (40, 46), "camera"),
    "lacamoire_3#0": Label("Male", T, T, T, F, F, T, T, F, (38, 46)),
    "leslie_1#0": Label("Female", F, F, T, F, F, F, F, F, (25, 32), "camera"),
    "leslie_2#0": Label("Female", N, F, T, F, F, F, F, F, (25, 32), "camera"),
    "miranda_1#0": Label("Male", F, T, T, F, F, N, N, F, (28, 38)),
    "obama_1#0": Label("Male", T, T, T, F, F, F, F, F, (50, 52), "camera"),
    "obama_2#0": Label("Male", F, T, T, F, F, F, F, F, (47, 52), "left"),
    "obama_3#0": Label("Male", N, F, T, F, F, F, F, F, (47, 56)),
    "obama_4#0": Label("Male", F, F, T, F, F, F, F, F, (50, 56)),
    "obama_5_240p#0": Label("Male", T, T, T, F, F, F, F, F, (50, 52), "camera"),
    "obama_6_small#0": Label("Male", T, T, T, F, F, F, F, F, (50, 52), "camera"),
    "obama_7_partial#0": Label("Male", T, T, T, F, F, F, F, F, (50, 52), "camera"),
}

LABEL_FIELDS = {
    "Smile": "smile",
    "MouthOpen": "mouth_open",
    "EyesOpen": "eyes_open",
    "Eyeglasses": "eyeglasses",
    "Sunglasses": "sunglasses",
    "Beard": "beard",
    "Mustache": "mustache",
    "FaceOccluded": "occluded",
}


def load_rgb(path: Path) -> RGB:
    with Image.open(path) as image:
        return np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def package_assets() -> Path | None:
    spec = importlib.util.find_spec("ultralytics")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "assets"


def images(faces_dir: Path) -> Iterator[tuple[str, RGB]]:
    import skimage.data

    yield "astronaut", np.asarray(skimage.data.astronaut())
    assets = package_assets()
    if assets is not None:
        for name in ("zidane", "bus"):
            yield name, load_rgb(assets / f"{name}.jpg")
    for path in sorted(faces_dir.glob("*")):
        if path.suffix.lower() in {".jpg", ".jpeg", ".png"}:
            yield path.stem, load_rgb(path)


def occluders() -> dict[str, RGB]:
    """Patches of real photos that stand in for a mask or an object over the lower face."""
    import skimage.data

    patches = {
        "coffee": np.asarray(skimage.data.coffee())[60:300, 180:460],
        "cat fur": np.asarray(skimage.data.chelsea())[200:300, 20:140],
    }
    assets = package_assets()
    if assets is not None:
        patches["bus"] = load_rgb(assets / "bus.jpg")[250:500, 50:750]
    return patches


def cover_lower_face(rgb: RGB, landmarks: dict[str, tuple[float, float]], patch: RGB) -> RGB:
    """``rgb`` with ``patch`` stretched over the face from just below the eyes to the chin."""
    import cv2

    frame = face_frame(landmarks)
    corners = np.array([frame.to_image(x, y) for x in (-0.75, 0.75) for y in (0.25, 1.6)])
    left, top = np.floor(corners.min(axis=0)).astype(int)
    right, bottom = np.ceil(corners.max(axis=0)).astype(int)
    height, width = rgb.shape[:2]
    left, top = max(0, int(left)), max(0, int(top))
    right, bottom = min(width, int(right)), min(height, int(bottom))
    out = rgb.copy()
    if right - left > 1 and bottom - top > 1:
        out[top:bottom, left:right] = cv2.resize(patch, (right - left, bottom - top))
    return out


@dataclass
class Face:
    key: str
    rgb: RGB
    box: tuple[float, float, float, float]
    landmarks: dict[str, tuple[float, float]]


def faces(analyzer: FaceAnalyzer, faces_dir: Path) -> Iterator[Face]:
    for name, rgb in images(faces_dir):
        height, width = rgb.shape[:2]
        for index, detail in enumerate(analyzer.detect_faces(rgb, ALL)):
            bb = detail["BoundingBox"]
            box = (
                bb["Left"] * width,
                bb["Top"] * height,
                (bb["Left"] + bb["Width"]) * width,
                (bb["Top"] + bb["Height"]) * height,
            )
            points = {item["Type"]: (item["X"] * width, item["Y"] * height) for item in detail["Landmarks"]}
            yield Face(f"{name}#{index}", rgb, box, points)


def features(face: Face) -> str:
    frame = face_frame(face.landmarks)
    skin = skin_reference(face.rgb, frame)
    lift, width = expression.smile_geometry(frame)
    dark, flat = eyewear.sunglasses_features(face.rgb, frame, skin)
    offsets = [gaze.iris_offset(face.rgb, frame, side) for side in ("left", "right")]
    return (
        f"lift {lift:+.3f} width {width:.2f} gap {expression.mouth_gap(face.rgb, frame):.2f} "
        f"open {expression.mouth_open_score(face.rgb, frame):+.2f} "
        f"ear {expression.eye_aspect_ratio(frame):.3f} "
        f"dark {dark:.2f} flat {flat:.2f} bridge {eyewear.bridge_edge(face.rgb, frame, skin):5.1f} "
        f"must {facial_hair.mustache_score(face.rgb, frame, skin):+.2f} "
        f"beard {facial_hair.beard_score(face.rgb, frame, skin):+.2f} "
        f"foreign {occlusion.foreign_share(face.rgb, frame):.2f} "
        "iris " + " ".join(f"({o[0]:+.2f},{o[1]:+.2f},{o[2]:.0f})" if o else "-" for o in offsets)
    )


class Tally:
    def __init__(self) -> None:
        self.right: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.positives: dict[str, int] = {}
        self.misses: dict[str, list[str]] = {}

    def add(self, attribute: str, ok: bool, key: str, positive: bool | None = None) -> None:
        """``positive``: the yes/no truth of a yes/no attribute, ``None`` for other checks."""
        self.total[attribute] = self.total.get(attribute, 0) + 1
        self.right[attribute] = self.right.get(attribute, 0) + int(ok)
        if positive is not None:
            self.positives[attribute] = self.positives.get(attribute, 0) + int(positive)
        if not ok:
            self.misses.setdefault(attribute, []).append(key)

    def report(self) -> None:
        # "majority": accuracy of always answering the more common label (the chance level to beat).
        print(f"\n{'attribute':<30} {'accuracy':>9} {'majority':>9} {'n':>4} {'pos':>4}  wrong")
        for attribute in self.total:
            right, total = self.right[attribute], self.total[attribute]
            positives = self.positives.get(attribute)
            majority = (
                "-" if positives is None else f"{100.0 * max(positives, total - positives) / total:.1f}%"
            )
            print(
                f"{attribute:<30} {100.0 * right / total:8.1f}% {majority:>9} {total:4d} "
                f"{'-' if positives is None else positives:>4}  " + ", ".join(self.misses.get(attribute, []))
            )


def score(tally: Tally, key: str, label: Label, detail: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    tally.add("Gender", detail["Gender"]["Value"] == label.gender, key, label.gender == "Female")
    for member in BOOLEAN:
        truth = getattr(label, LABEL_FIELDS[member])
        if truth is not None:
            tally.add(member, detail[member]["Value"] == truth, key, truth)
    age = detail["AgeRange"]
    if label.age is not None:
        true_mid = (label.age[0] + label.age[1]) / 2.0
        overlap = age["Low"] <= label.age[1] and label.age[0] <= age["High"]
        tally.add("AgeRange overlaps true age", overlap, key)
        notes.append(f"age err {((age['Low'] + age['High']) / 2.0) - true_mid:+.1f}")
    top = detail["Emotions"][0]["Type"]
    if label.smile is not None:
        tally.add("Emotions top HAPPY == smiling", (top == "HAPPY") == label.smile, key, label.smile)
    if label.gaze is not None:
        yaw = detail["EyeDirection"]["Yaw"]
        ok = abs(yaw) < 15.0 if label.gaze == "camera" else yaw < -10.0
        tally.add("EyeDirection yaw", ok, key, label.gaze != "camera")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--faces", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "faces"
    )
    parser.add_argument(
        "--landmarks", choices=("mesh", "dlib-68"), default="mesh", help="FaceAnalyzer landmark model"
    )
    parser.add_argument("--features", action="store_true", help="print the raw signal measurements")
    args = parser.parse_args()
    faces_dir = args.faces
    if not faces_dir.is_dir():
        parser.error(f"{faces_dir} is not a folder")
    settings = Settings()
    analyzer = FaceAnalyzer.from_files(settings.model_dir / files.MEDIAPIPE.subdir, landmarks=args.landmarks)
    attributes = FaceAttributes.from_files(settings.model_dir)

    tally = Tally()
    timings: list[float] = []
    age_errors: list[float] = []
    patches = occluders()
    for face in faces(analyzer, faces_dir):
        label = LABELS.get(face.key)
        started = time.perf_counter()
        detail = attributes.describe(face.rgb, face.box, face.landmarks, ALL)
        timings.append(1000.0 * (time.perf_counter() - started))
        if label is None:
            print(f"{face.key:<28} (no label)")
            continue
        notes = score(tally, face.key, label, detail)
        age_errors += [float(n.split()[-1]) for n in notes if n.startswith("age err")]
        summary = " ".join(f"{m[:5]}={'T' if detail[m]['Value'] else 'F'}" for m in BOOLEAN)
        print(
            f"{face.key:<28} {detail['Gender']['Value'][0]}{detail['Gender']['Confidence']:3.0f} "
            f"age {detail['AgeRange']['Low']:2d}-{detail['AgeRange']['High']:2d} "
            f"{detail['Emotions'][0]['Type'][:5]:<5} {summary} "
            f"yaw {detail['EyeDirection']['Yaw']:+5.1f} pitch {detail['EyeDirection']['Pitch']:+5.1f} "
            + " ".join(notes)
        )
        if args.features:
            print("    " + features(face))
        if label.occluded is False and label.eyes_open is not None:
            for name, patch in patches.items():
                covered = cover_lower_face(face.rgb, face.landmarks, patch)
                result = attributes.describe(covered, face.box, face.landmarks, frozenset({"FACE_OCCLUDED"}))
                tally.add(
                    "FaceOccluded (pasted cover)", result["FaceOccluded"]["Value"], f"{face.key}+{name}"
                )
                if args.features:
                    cf = occlusion.foreign_share(covered, face_frame(face.landmarks))
                    print(f"    cover {name}: foreign {cf:.2f}")

    tally.report()
    if age_errors:
        rms = math.sqrt(statistics.fmean(e * e for e in age_errors))
        print(f"\nAgeRange centre - true age: mean {statistics.fmean(age_errors):+.1f}, RMS {rms:.1f} years")
    print(
        f"\n{len(timings)} faces; describe(ALL): median {statistics.median(timings):.1f} ms/face, "
        f"mean {statistics.fmean(timings):.1f} ms/face (after the first call)"
        if len(timings) < 2
        else f"\n{len(timings)} faces; describe(ALL): median {statistics.median(timings[1:]):.1f} ms/face, "
        f"mean {statistics.fmean(timings[1:]):.1f} ms/face (first call excluded)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
