"""Lay out an ultralytics dataset in a folder from manifest entries, fetching images from the store.

Detection: ``images/{train,val}/<n>.<ext>``, ``labels/{train,val}/<n>.txt`` (class cx cy w h, normalised)
and ``data.yaml``. Classification: ``{train,val}/<class index>/<n>.<ext>``, class folders named by the
zero-padded index of the label (label names may not be valid folder names). ``val`` is the test set.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from argus.core.storage import ObjectNotFound, ObjectRef, ObjectStore
from argus.custom_labels.manifests import BadLine, Entry, LineError

TEST_FRACTION = 0.2
MAX_IMAGE_BYTES = 15 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _order(entry: Entry) -> str:
    return hashlib.sha256(entry.source_ref.encode()).hexdigest()


def auto_split(
    entries: Sequence[Entry], test_fraction: float = TEST_FRACTION
) -> tuple[list[Entry], list[Entry]]:
    """A deterministic, stratified (train, test) split: in each group of images that share their first
    label, the ``ceil(fraction * n)`` images whose source-ref hashes lowest are tested (none of a group
    of one)."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        first = entry.boxes[0].label if entry.boxes else (entry.class_labels or ("",))[0]
        groups[first].append(entry)
    train: list[Entry] = []
    test: list[Entry] = []
    for name in sorted(groups):
        group = sorted(groups[name], key=_order)
        count = math.ceil(test_fraction * len(group)) if len(group) > 1 else 0
        test.extend(group[:count])
        train.extend(group[count:])
    return sorted(train, key=lambda e: e.line), sorted(test, key=lambda e: e.line)


@dataclass
class LaidOut:
    root: Path
    kind: str  # "detection" or "classification"
    labels: list[str]
    train: list[tuple[Entry, Path, tuple[int, int]]] = field(default_factory=list)
    test: list[tuple[Entry, Path, tuple[int, int]]] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)

    @property
    def data(self) -> Path:
        """What ultralytics' ``data=`` argument takes."""
        return self.root / "data.yaml" if self.kind == "detection" else self.root


def _fetch(entry: Entry, store: ObjectStore) -> tuple[bytes, Image.Image] | LineError:
    try:
        data = store.get(ObjectRef(entry.bucket, entry.key), max_bytes=MAX_IMAGE_BYTES)
    except ObjectNotFound:
        return LineError("ERROR_IMAGE_NOT_FOUND", f"{entry.source_ref} does not exist")
    except Exception as error:  # too large, access denied, unreachable ...
        return LineError("ERROR_IMAGE_UNREADABLE", f"{entry.source_ref} could not be read ({error})")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ImportError):  # ultralytics' Image.open may want pi_heif
        return LineError("ERROR_INVALID_IMAGE", f"{entry.source_ref} is not a JPEG or PNG image")
    if image.format not in FORMATS:
        return LineError("ERROR_INVALID_IMAGE", f"{entry.source_ref} is {image.format}, not JPEG or PNG")
    return data, image


def lay_out(
    root: Path,
    kind: str,
    labels: list[str],
    train: Sequence[Entry],
    test: Sequence[Entry],
    store: ObjectStore,
) -> LaidOut:
    """Write the dataset under ``root``; images that cannot be fetched or decoded become bad lines."""
    out = LaidOut(root, kind, labels)
    index = {label: number for number, label in enumerate(labels)}
    counter = 0
    for split, entries, target in (("train", train, out.train), ("val", test, out.test)):
        for entry in entries:
            fetched = _fetch(entry, store)
            if isinstance(fetched, LineError):
                out.bad_lines.append(BadLine(entry.line, entry.raw, [fetched], entry.source_ref))
                continue
            data, image = fetched
            counter += 1
            name = f"{counter:06d}.{FORMATS[str(image.format)]}"
            if kind == "detection":
                path = root / "images" / split / name
                path.parent.mkdir(parents=True, exist_ok=True)
                label_file = root / "labels" / split / f"{counter:06d}.txt"
                label_file.parent.mkdir(parents=True, exist_ok=True)
                width, height = image.size
                label_file.write_text(
                    "".join(
                        f"{index[box.label]} {(box.left + box.width / 2) / width:.6f} "
                        f"{(box.top + box.height / 2) / height:.6f} {box.width / width:.6f} "
                        f"{box.height / height:.6f}\n"
                        for box in entry.boxes
                    )
                )
            else:
                path = root / split / f"{index[entry.class_labels[0]]:03d}" / name
                path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            target.append((entry, path, image.size))
    if kind == "detection":
        names = "".join(f"  {number}: {json.dumps(label)}\n" for number, label in enumerate(labels))
        (root / "data.yaml").write_text(
            f"path: {root}\ntrain: images/train\nval: images/val\nnames:\n{names}"
        )
    else:  # every class needs its folder in both splits
        for number in range(len(labels)):
            for split in ("train", "val"):
                (root / split / f"{number:03d}").mkdir(parents=True, exist_ok=True)
    return out
