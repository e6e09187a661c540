"""The AutoCreate 80/20 split and the ultralytics dataset layout."""

from __future__ import annotations

from pathlib import Path

from argus.core.storage import LocalObjectStore, ObjectRef
from argus.custom_labels.datasets import auto_split, lay_out
from argus.custom_labels.manifests import parse_manifest
from tests.custom_labels import shapes


def entries(pictures: list[shapes.Picture], kind: str) -> list:  # type: ignore[type-arg]
    line = shapes.detection_line if kind == "detection" else shapes.classification_line
    return parse_manifest(shapes.manifest([line("data", p) for p in pictures]).decode()).entries


def test_auto_split_tests_a_fifth_of_each_label_deterministically() -> None:
    found = entries(shapes.classification_set(50, seed=0), "classification")
    train, test = auto_split(found)
    assert len(train) == 40 and len(test) == 10
    assert sorted(e.class_labels[0] for e in test) == ["circle"] * 5 + ["square"] * 5
    assert auto_split(list(reversed(found))) == (train, test)
    assert {e.line for e in train}.isdisjoint({e.line for e in test})


def test_a_label_with_one_image_stays_in_training() -> None:
    found = entries(shapes.classification_set(1, seed=0), "classification")
    assert auto_split(found) == (found, [])


def store_with(tmp_path: Path, pictures: list[shapes.Picture]) -> LocalObjectStore:
    store = LocalObjectStore(tmp_path / "objects")
    for picture in pictures:
        store.put(ObjectRef("data", picture.key), picture.png)
    return store


def test_detection_layout_writes_yolo_labels(tmp_path: Path) -> None:
    pictures = shapes.detection_set(3, seed=0)
    found = entries(pictures, "detection")
    laid = lay_out(
        tmp_path / "ds", "detection", [shapes.SQUARE], found[:2], found[2:], store_with(tmp_path, pictures)
    )
    assert not laid.bad_lines
    assert [path.name for _, path, _ in laid.train] == ["000001.png", "000002.png"]
    assert laid.test[0][1] == tmp_path / "ds" / "images" / "val" / "000003.png"
    left, top, width, height = pictures[0].boxes[0]
    first = (tmp_path / "ds" / "labels" / "train" / "000001.txt").read_text().splitlines()[0]
    assert first == (
        f"0 {(left + width / 2) / 96:.6f} {(top + height / 2) / 96:.6f} {width / 96:.6f} {height / 96:.6f}"
    )
    assert laid.data == tmp_path / "ds" / "data.yaml"
    assert '0: "red square"' in laid.data.read_text()


def test_classification_layout_uses_label_index_folders(tmp_path: Path) -> None:
    pictures = shapes.classification_set(4, seed=0)
    found = entries(pictures, "classification")
    laid = lay_out(
        tmp_path / "ds",
        "classification",
        ["circle", "square"],
        found[:3],
        found[3:],
        store_with(tmp_path, pictures),
    )
    assert [path.parent.name for _, path, _ in laid.train] == ["001", "000", "001"]  # square, circle, square
    assert laid.data == tmp_path / "ds"
    assert (tmp_path / "ds" / "val" / "001").is_dir() and (tmp_path / "ds" / "val" / "000").is_dir()


def test_missing_and_undecodable_images_become_bad_lines(tmp_path: Path) -> None:
    pictures = shapes.detection_set(2, seed=0)
    store = store_with(tmp_path, pictures[:1])
    store.put(ObjectRef("data", "detect/0001.png"), b"not an image")
    found = entries(pictures, "detection")
    extra = entries([shapes.Picture("detect/gone.png", b"", [(1, 1, 5, 5)])], "detection")
    laid = lay_out(tmp_path / "ds", "detection", [shapes.SQUARE], found + extra, [], store)
    assert [(bad.line, [e.code for e in bad.errors]) for bad in laid.bad_lines] == [
        (2, ["ERROR_INVALID_IMAGE"]),
        (1, ["ERROR_IMAGE_NOT_FOUND"]),
    ]
    assert laid.bad_lines[1].errors[0].message == "s3://data/detect/gone.png does not exist"
    assert len(laid.train) == 1
