"""The committed label taxonomy: consistent, acyclic, and the hierarchy Rekognition users expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from argus.vision.labels import build_taxonomy
from argus.vision.labels.taxonomy import Taxonomy, parse


def test_every_parent_exists_and_there_is_no_cycle(taxonomy: Taxonomy) -> None:
    assert taxonomy.problems() == []


def test_a_cycle_and_an_unknown_parent_are_reported() -> None:
    data = {
        "version": "x",
        "labels": {
            "A": {"parents": ["B"], "categories": ["c"]},
            "B": {"parents": ["A"], "categories": ["c"]},
        },
        "imagenet": [],
        "coco": {},
    }
    assert any(problem.startswith("cycle: ") for problem in parse(data).problems())
    data["labels"]["B"]["parents"] = ["Nowhere"]  # type: ignore[index]
    assert parse(data).problems() == ["B: unknown parent Nowhere"]


def test_all_1000_imagenet_classes_map_to_labels(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.imagenet) == 1000
    assert all(labels and all(label in taxonomy.labels for label in labels) for labels in taxonomy.imagenet)


def test_every_label_has_a_category_and_names_are_unique_ignoring_case(taxonomy: Taxonomy) -> None:
    assert all(info.categories for info in taxonomy.labels.values())
    assert len({name.lower() for name in taxonomy.labels}) == len(taxonomy.labels)


@pytest.mark.parametrize(
    ("label", "ancestors"),
    [
        ("School Bus", {"Bus", "Vehicle", "Transportation"}),
        ("Sports Car", {"Car", "Vehicle", "Transportation"}),
        ("Cat", {"Mammal", "Animal", "Pet"}),
        ("Golden Retriever", {"Dog", "Canine", "Pet", "Mammal", "Animal"}),
        ("Espresso", {"Coffee", "Beverage", "Food"}),
        ("Coffee Cup", {"Cup"}),
        ("Airliner", {"Airplane", "Aircraft", "Vehicle", "Transportation"}),
        ("Pizza", {"Food"}),
    ],
)
def test_parents_are_the_whole_ancestor_chain(taxonomy: Taxonomy, label: str, ancestors: set[str]) -> None:
    chain = taxonomy.ancestors(label)
    assert ancestors <= set(chain)
    assert len(chain) == len(set(chain))
    assert label not in chain


def test_collapsed_classes_share_a_human_level_label(taxonomy: Taxonomy) -> None:
    by_name = dict(zip(taxonomy.imagenet_names, taxonomy.imagenet, strict=True))
    assert by_name["tabby"][0] == by_name["tiger cat"][0] == by_name["Egyptian cat"][0] == "Cat"
    assert by_name["school bus"][0] == "School Bus"
    assert by_name["espresso"] == ("Espresso", "Coffee Cup")


def test_coco_classes_map_to_labels_with_instances(taxonomy: Taxonomy) -> None:
    assert len(taxonomy.coco) == 80
    assert taxonomy.label_for_detector_class("person").name == "Person"
    assert taxonomy.label_for_detector_class("cow").name == "Cattle"
    assert taxonomy.label_for_detector_class("bus").instances
    custom = taxonomy.label_for_detector_class("hard_hat")
    assert (custom.name, custom.parents, custom.instances) == ("Hard Hat", (), True)


def test_the_committed_file_is_what_the_build_script_writes() -> None:
    wordnet = build_taxonomy.DEFAULT_WORDNET
    if not (wordnet / "data.noun").is_file():
        pytest.skip(f"WordNet 3.0 is not installed at {wordnet} (apt-get install wordnet-base)")
    committed = json.loads(Path(build_taxonomy.DATA_FILE).read_text())
    assert build_taxonomy.build(wordnet) == committed
