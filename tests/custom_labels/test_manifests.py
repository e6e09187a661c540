"""Ground Truth manifests: both label kinds parse; each kind of bad line gets its code and message."""

from __future__ import annotations

import json

from argus.custom_labels.manifests import (
    Box,
    dataset_errors,
    describe_bad_lines,
    manifest_summary,
    parse_manifest,
    validation_lines,
)
from tests.custom_labels import shapes

DETECTION = {
    "source-ref": "s3://data/a.png",
    "boxes": {
        "image_size": [{"width": 100, "height": 80, "depth": 3}],
        "annotations": [
            {"class_id": 0, "left": 10, "top": 20, "width": 30, "height": 40},
            {"class_id": 1, "left": 50, "top": 5, "width": 10, "height": 10},
        ],
    },
    "boxes-metadata": {"class-map": {"0": "cat", "1": "dog"}, "type": "groundtruth/object-detection"},
}
CLASSIFICATION = {
    "source-ref": "s3://data/dir/b.jpg",
    "kind": 1,
    "kind-metadata": {"class-name": "dog", "type": "groundtruth/image-classification", "confidence": 1},
}


def errors_of(line: object) -> list[tuple[str, str]]:
    manifest = parse_manifest(line if isinstance(line, str) else json.dumps(line))
    [bad] = manifest.bad_lines
    return [(error.code, error.message) for error in bad.errors]


def test_a_detection_line_gives_its_boxes_with_class_names() -> None:
    [entry] = parse_manifest(json.dumps(DETECTION)).entries
    assert (entry.bucket, entry.key, entry.line) == ("data", "a.png", 1)
    assert entry.boxes == (Box("cat", 10, 20, 30, 40), Box("dog", 50, 5, 10, 10))
    assert entry.has_detection


def test_a_classification_line_gives_its_class_name() -> None:
    [entry] = parse_manifest(json.dumps(CLASSIFICATION)).entries
    assert (entry.bucket, entry.key) == ("data", "dir/b.jpg")
    assert entry.class_labels == ("dog",)
    assert not entry.has_detection


def test_generated_manifests_parse_completely() -> None:
    pictures = shapes.detection_set(4, seed=0)
    manifest = parse_manifest(shapes.manifest([shapes.detection_line("b", p) for p in pictures]).decode())
    assert len(manifest.entries) == 4 and not manifest.bad_lines
    assert manifest.is_detection and manifest.labels() == [shapes.SQUARE]


def test_blank_lines_are_skipped_but_numbering_follows_the_file() -> None:
    text = "\n" + json.dumps(CLASSIFICATION) + "\n\n{oops\n"
    manifest = parse_manifest(text)
    assert [entry.line for entry in manifest.entries] == [2]
    assert [bad.line for bad in manifest.bad_lines] == [4]
    assert manifest.total_lines == 2


def test_invalid_json() -> None:
    assert errors_of('{"source-ref": ') == [("ERROR_INVALID_JSON_LINE", "not valid JSON: Expecting value")]
    assert errors_of("[1, 2]") == [("ERROR_INVALID_JSON_LINE", "a line must be a JSON object")]


def test_missing_or_malformed_source_ref() -> None:
    assert errors_of({"x": 1, "x-metadata": {}}) == [
        ("ERROR_MISSING_SOURCE_REF", "the line has no source-ref")
    ]
    assert errors_of({**CLASSIFICATION, "source-ref": "https://x/y.png"}) == [
        ("ERROR_INVALID_SOURCE_REF_FORMAT", "source-ref 'https://x/y.png' is not an s3://bucket/key")
    ]
    assert errors_of({**CLASSIFICATION, "source-ref": "s3://bucket-only"})[0][0] == (
        "ERROR_INVALID_SOURCE_REF_FORMAT"
    )


def test_no_label_attribute() -> None:
    assert errors_of({"source-ref": "s3://a/b.png", "kind": 1}) == [
        ("ERROR_NO_LABEL_ATTRIBUTES", "no label attribute (a key with a '-metadata' sibling)")
    ]


def test_unknown_label_type() -> None:
    line = {**CLASSIFICATION, "kind-metadata": {"type": "groundtruth/semantic-segmentation"}}
    assert errors_of(line) == [
        (
            "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA",
            "kind-metadata.type 'groundtruth/semantic-segmentation' is neither "
            "groundtruth/image-classification nor groundtruth/object-detection",
        )
    ]


def test_classification_without_class_name() -> None:
    line = {**CLASSIFICATION, "kind-metadata": {"type": "groundtruth/image-classification"}}
    assert errors_of(line) == [
        ("ERROR_INVALID_LABEL_ATTRIBUTE_METADATA", "kind-metadata has no class-name string")
    ]


def test_bad_boxes_are_named_by_their_index() -> None:
    line = json.loads(json.dumps(DETECTION))
    line["boxes"]["annotations"] = [
        {"class_id": 5, "left": 1, "top": 1, "width": 5, "height": 5},
        {"class_id": 0, "left": 1, "top": 1, "width": 0, "height": 5},
        {"class_id": 0, "left": "1", "top": 1, "width": 5, "height": 5},
        {"class_id": 0, "left": 90, "top": 1, "width": 20, "height": 5},
    ]
    assert errors_of(line) == [
        ("ERROR_INVALID_CLASS_ID", "boxes.annotations[0].class_id 5 is not in boxes-metadata.class-map"),
        ("ERROR_INVALID_BOUNDING_BOX", "boxes.annotations[1] has a negative position or an empty size"),
        ("ERROR_INVALID_BOUNDING_BOX", "boxes.annotations[2] needs numeric left, top, width and height"),
        ("ERROR_BOUNDING_BOX_OUTSIDE_IMAGE", "boxes.annotations[3] lies outside the 100x80 image"),
    ]


def test_a_detection_without_class_map() -> None:
    line = {**DETECTION, "boxes-metadata": {"type": "groundtruth/object-detection"}}
    assert errors_of(line) == [("ERROR_MISSING_CLASS_MAP", "boxes-metadata has no class-map")]


def test_classification_needs_two_labels() -> None:
    manifest = parse_manifest(json.dumps(CLASSIFICATION))
    assert [(e.code, e.message) for e in dataset_errors(manifest)] == [
        ("ERROR_TOO_FEW_LABELS", "image classification needs at least 2 labels; the manifest has 1")
    ]


def test_an_empty_manifest_cannot_train() -> None:
    assert [e.code for e in dataset_errors(parse_manifest("{bad\n"))] == ["ERROR_MANIFEST_NO_VALID_LINES"]


def test_a_detection_manifest_with_boxes_can_train() -> None:
    assert dataset_errors(parse_manifest(json.dumps(DETECTION))) == []


def test_the_validation_manifest_lists_each_bad_line_with_its_errors() -> None:
    manifest = parse_manifest(json.dumps(CLASSIFICATION) + "\n{bad\n" + json.dumps({"a": 1}) + "\n")
    records = [json.loads(line) for line in validation_lines(manifest.bad_lines).splitlines()]
    assert [(r["line"], r["source-ref"], [e["code"] for e in r["errors"]]) for r in records] == [
        (2, None, ["ERROR_INVALID_JSON_LINE"]),
        (3, None, ["ERROR_MISSING_SOURCE_REF"]),
    ]
    assert records[0]["source"] == "{bad"


def test_the_status_message_names_the_first_bad_lines() -> None:
    manifest = parse_manifest("\n".join(["{bad"] * 5))
    reason = "ERROR_INVALID_JSON_LINE (not valid JSON: Expecting property name enclosed in double quotes)"
    assert describe_bad_lines(manifest.bad_lines, limit=2) == (
        f"line 1: {reason}; line 2: {reason}; and 3 more"
    )


def test_the_manifest_summary_counts_lines() -> None:
    manifest = parse_manifest(json.dumps(CLASSIFICATION) + "\n{bad\n")
    assert manifest_summary([manifest], dataset_errors(manifest))["statistics"] == {
        "total_json_lines": 2,
        "valid_json_lines": 1,
        "invalid_json_lines": 1,
    }
