"""SageMaker Ground Truth manifests (JSON Lines): parse, validate, and write the validation results.

Two label kinds are read, as Ground Truth writes them:

* image classification: ``{"source-ref": "s3://b/k", "<attr>": 0, "<attr>-metadata": {"class-name": "cat",
  "type": "groundtruth/image-classification", ...}}``
* object detection: ``{"source-ref": "s3://b/k", "<attr>": {"image_size": [{"width", "height", "depth"}],
  "annotations": [{"class_id", "left", "top", "width", "height"}]}, "<attr>-metadata": {"class-map":
  {"0": "cat"}, "type": "groundtruth/object-detection", ...}}``

A label attribute is any key whose ``<key>-metadata`` sibling exists. Every bad line is kept with the
codes and messages of its errors; :func:`validation_lines` turns them into the validation manifest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SOURCE_REF = "source-ref"
METADATA_SUFFIX = "-metadata"
CLASSIFICATION_TYPES = ("groundtruth/image-classification",)
DETECTION_TYPES = ("groundtruth/object-detection",)
MAX_SOURCE_IN_REPORT = 1000


@dataclass(frozen=True)
class Box:
    label: str
    left: float  # pixels, as Ground Truth writes them
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Entry:
    """A valid manifest line."""

    line: int  # 1-based line number in its manifest
    bucket: str
    key: str
    raw: str
    class_labels: tuple[str, ...] = ()
    boxes: tuple[Box, ...] = ()
    has_detection: bool = False

    @property
    def source_ref(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class LineError:
    code: str
    message: str


@dataclass
class BadLine:
    line: int
    raw: str
    errors: list[LineError]
    source_ref: str | None = None


@dataclass
class Manifest:
    entries: list[Entry] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)

    @property
    def total_lines(self) -> int:
        return len(self.entries) + len(self.bad_lines)

    @property
    def is_detection(self) -> bool:
        return any(entry.has_detection for entry in self.entries)

    def labels(self) -> list[str]:
        names = {box.label for entry in self.entries for box in entry.boxes}
        if not self.is_detection:
            names = {label for entry in self.entries for label in entry.class_labels}
        return sorted(names)


def parse_s3_uri(uri: Any) -> tuple[str, str] | None:
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None
    bucket, _, key = uri[len("s3://") :].partition("/")
    if not bucket or not key:
        return None
    return bucket, key


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _classification(attr: str, value: Any, metadata: dict[str, Any]) -> tuple[str | None, list[LineError]]:
    name = metadata.get("class-name")
    if not isinstance(name, str) or not name.strip():
        return None, [
            LineError("ERROR_INVALID_LABEL_ATTRIBUTE_METADATA", f"{attr}-metadata has no class-name string")
        ]
    if not _number(value):
        return None, [LineError("ERROR_INVALID_LABEL_ATTRIBUTE", f"{attr} must be the class number")]
    return name.strip(), []


def _detection(attr: str, value: Any, metadata: dict[str, Any]) -> tuple[list[Box], list[LineError]]:
    class_map = metadata.get("class-map")
    if not isinstance(class_map, dict) or not class_map:
        return [], [LineError("ERROR_MISSING_CLASS_MAP", f"{attr}-metadata has no class-map")]
    if not isinstance(value, dict) or not isinstance(value.get("annotations"), list):
        return [], [LineError("ERROR_INVALID_LABEL_ATTRIBUTE", f"{attr} has no annotations list")]
    size = value.get("image_size")
    width: float | None = None
    height: float | None = None
    if isinstance(size, list) and size and isinstance(size[0], dict):
        found_width: Any = size[0].get("width")
        found_height: Any = size[0].get("height")
        if _number(found_width) and _number(found_height):
            width, height = float(found_width), float(found_height)
    boxes: list[Box] = []
    errors: list[LineError] = []
    for number, annotation in enumerate(value["annotations"]):
        where = f"{attr}.annotations[{number}]"
        if not isinstance(annotation, dict):
            errors.append(LineError("ERROR_INVALID_BOUNDING_BOX", f"{where} is not an object"))
            continue
        label = class_map.get(str(annotation.get("class_id")))
        if not isinstance(label, str) or not label.strip():
            errors.append(
                LineError(
                    "ERROR_INVALID_CLASS_ID",
                    f"{where}.class_id {annotation.get('class_id')!r} is not in {attr}-metadata.class-map",
                )
            )
            continue
        coords: list[Any] = [annotation.get(name) for name in ("left", "top", "width", "height")]
        if not all(_number(coord) for coord in coords):
            errors.append(
                LineError("ERROR_INVALID_BOUNDING_BOX", f"{where} needs numeric left, top, width and height")
            )
            continue
        left, top, box_width, box_height = (float(coord) for coord in coords)
        if box_width <= 0 or box_height <= 0 or left < 0 or top < 0:
            errors.append(
                LineError("ERROR_INVALID_BOUNDING_BOX", f"{where} has a negative position or an empty size")
            )
            continue
        if (
            width is not None
            and height is not None
            and (left + box_width > width or top + box_height > height)
        ):
            errors.append(
                LineError(
                    "ERROR_BOUNDING_BOX_OUTSIDE_IMAGE",
                    f"{where} lies outside the {width:g}x{height:g} image",
                )
            )
            continue
        boxes.append(Box(label.strip(), left, top, box_width, box_height))
    return boxes, errors


def parse_line(number: int, raw: str) -> Entry | BadLine:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        return BadLine(number, raw, [LineError("ERROR_INVALID_JSON_LINE", f"not valid JSON: {error.msg}")])
    if not isinstance(data, dict):
        return BadLine(number, raw, [LineError("ERROR_INVALID_JSON_LINE", "a line must be a JSON object")])
    source = data.get(SOURCE_REF)
    if source is None:
        return BadLine(number, raw, [LineError("ERROR_MISSING_SOURCE_REF", "the line has no source-ref")])
    location = parse_s3_uri(source)
    if location is None:
        return BadLine(
            number,
            raw,
            [
                LineError(
                    "ERROR_INVALID_SOURCE_REF_FORMAT", f"source-ref {source!r} is not an s3://bucket/key"
                )
            ],
            source_ref=str(source),
        )
    attributes = [key for key in data if key != SOURCE_REF and f"{key}{METADATA_SUFFIX}" in data]
    if not attributes:
        return BadLine(
            number,
            raw,
            [LineError("ERROR_NO_LABEL_ATTRIBUTES", "no label attribute (a key with a '-metadata' sibling)")],
            source_ref=source,
        )
    errors: list[LineError] = []
    labels: list[str] = []
    boxes: list[Box] = []
    detection = False
    for attr in attributes:
        metadata = data[f"{attr}{METADATA_SUFFIX}"]
        kind = metadata.get("type") if isinstance(metadata, dict) else None
        if not isinstance(metadata, dict) or kind not in CLASSIFICATION_TYPES + DETECTION_TYPES:
            errors.append(
                LineError(
                    "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA",
                    f"{attr}-metadata.type {kind!r} is neither groundtruth/image-classification nor "
                    "groundtruth/object-detection",
                )
            )
            continue
        if kind in CLASSIFICATION_TYPES:
            label, found = _classification(attr, data[attr], metadata)
            errors.extend(found)
            if label is not None:
                labels.append(label)
        else:
            detection = True
            found_boxes, found = _detection(attr, data[attr], metadata)
            errors.extend(found)
            boxes.extend(found_boxes)
    if errors:
        return BadLine(number, raw, errors, source_ref=source)
    bucket, key = location
    return Entry(number, bucket, key, raw, tuple(labels), tuple(boxes), detection)


def parse_manifest(text: str) -> Manifest:
    """Every non-blank line of a manifest, sorted into valid entries and bad lines."""
    manifest = Manifest()
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parsed = parse_line(number, raw)
        if isinstance(parsed, Entry):
            manifest.entries.append(parsed)
        else:
            manifest.bad_lines.append(parsed)
    return manifest


def dataset_errors(manifest: Manifest) -> list[LineError]:
    """Errors of the manifest as a whole (it cannot train whatever its lines say)."""
    if not manifest.entries:
        return [LineError("ERROR_MANIFEST_NO_VALID_LINES", "the manifest has no valid JSON lines")]
    if manifest.is_detection:
        if not manifest.labels():
            return [LineError("ERROR_NO_LABELS", "no bounding box in the manifest has a label")]
        return []
    labels = manifest.labels()
    if len(labels) < 2:
        return [
            LineError(
                "ERROR_TOO_FEW_LABELS",
                f"image classification needs at least 2 labels; the manifest has {len(labels)}",
            )
        ]
    several = [entry.line for entry in manifest.entries if len(set(entry.class_labels)) > 1]
    if several:
        return [
            LineError(
                "ERROR_MULTIPLE_LABELS_PER_IMAGE",
                f"lines {', '.join(map(str, several[:10]))} give an image more than one class label; "
                "classification takes exactly one",
            )
        ]
    return []


MAX_INVALID_FRACTION = 0.2
"""Rekognition trains on the valid lines while at most a fifth of a manifest's lines are invalid;
beyond that the whole dataset fails (ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST)."""


def too_many_invalid(invalid: int, total: int) -> bool:
    return invalid > 0 and invalid > MAX_INVALID_FRACTION * total


def describe_bad_lines(bad_lines: list[BadLine], limit: int = 3) -> str:
    """``line 3: ERROR_X (message); line 7: ...`` for the first ``limit`` bad lines."""
    parts = [
        f"line {bad.line}: " + ", ".join(f"{error.code} ({error.message})" for error in bad.errors)
        for bad in bad_lines[:limit]
    ]
    more = len(bad_lines) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def validation_lines(bad_lines: list[BadLine]) -> str:
    """The validation manifest: one JSON line per bad line with its errors."""
    out = []
    for bad in bad_lines:
        record: dict[str, Any] = {
            "line": bad.line,
            "source-ref": bad.source_ref,
            "errors": [{"code": error.code, "message": error.message} for error in bad.errors],
            "source": bad.raw[:MAX_SOURCE_IN_REPORT],
        }
        out.append(json.dumps(record, sort_keys=True))
    return "".join(line + "\n" for line in out)


def manifest_summary(manifests: list[Manifest], errors: list[LineError]) -> dict[str, Any]:
    """The ManifestSummary document: line statistics and the errors of the dataset as a whole."""
    total = sum(manifest.total_lines for manifest in manifests)
    invalid = sum(len(manifest.bad_lines) for manifest in manifests)
    return {
        "version": 1,
        "statistics": {
            "total_json_lines": total,
            "valid_json_lines": total - invalid,
            "invalid_json_lines": invalid,
        },
        "errors": [{"code": error.code, "message": error.message} for error in errors],
    }
