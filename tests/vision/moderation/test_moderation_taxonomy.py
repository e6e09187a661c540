"""taxonomy.json: Rekognition's moderation taxonomy 7.0 and the rules that map the classifiers onto it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from argus.vision.moderation import taxonomy
from argus.vision.moderation.nudenet import CLASSES

DOCS = Path(__file__).resolve().parents[3] / "docs" / "moderation.md"
V7_TOP_LEVEL = {
    "Explicit",
    "Non-Explicit Nudity of Intimate parts and Kissing",
    "Swimwear or Underwear",
    "Violence",
    "Visually Disturbing",
    "Drugs & Tobacco",
    "Alcohol",
    "Rude Gestures",
    "Gambling",
    "Hate Symbols",
}


def document() -> dict[str, Any]:
    path = Path(taxonomy.__file__).with_name(taxonomy.DATA_FILE)
    return dict(json.loads(path.read_text(encoding="utf-8")))


def test_every_label_has_a_parent_that_exists_one_level_up() -> None:
    labels = document()["labels"]
    keys = {(label["name"], label["level"]) for label in labels}
    for label in labels:
        if label["level"] == 1:
            assert label["parent"] == ""
        else:
            assert (label["parent"], label["level"] - 1) in keys, label


def test_the_top_level_categories_are_rekognitions_v7_ones() -> None:
    top = {label.name for label in taxonomy.load().labels if label.level == 1}
    assert top == V7_TOP_LEVEL


def test_the_v6_top_level_names_are_not_top_level_any_more() -> None:
    loaded = taxonomy.load()
    assert "Suggestive" not in {label.name for label in loaded.labels}
    explicit_nudity = [label for label in loaded.labels if label.name == "Explicit Nudity"]
    assert [(label.parent, label.level) for label in explicit_nudity] == [("Explicit", 2)]


def test_every_nudenet_class_is_mapped_or_says_why_not() -> None:
    loaded = taxonomy.load()
    assert loaded.mapped_nudenet_classes | set(loaded.unmapped_nudenet_classes) == set(CLASSES)
    assert all(reason for reason in loaded.unmapped_nudenet_classes.values())


def test_a_label_whose_parent_is_missing_is_refused() -> None:
    broken = document()
    broken["labels"] = [label for label in broken["labels"] if label["name"] != "Explicit Nudity"]
    with pytest.raises(ValueError, match="not a label"):
        taxonomy.parse(broken)


def test_categories_no_model_judges_are_never_reported_and_are_documented() -> None:
    never = taxonomy.load().never_reported()
    names = {label.name for label in never}
    assert {"Violence", "Visually Disturbing", "Drugs & Tobacco", "Alcohol", "Gambling"} <= names
    assert {"Hate Symbols", "Rude Gestures", "Explicit Sexual Activity", "Kissing on the Lips"} <= names
    text = DOCS.read_text(encoding="utf-8")
    assert [label.name for label in never if f"`{label.name}`" not in text] == []
