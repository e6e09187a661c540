"""DetectLabels end to end: gateway -> image queue -> image worker -> classifier, taxonomy, people."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import encode, ultralytics_asset

LABEL_KEYS = {"Name", "Confidence", "Instances", "Parents", "Aliases", "Categories"}


@pytest.fixture(scope="module")
def bus_jpeg() -> bytes:
    return ultralytics_asset("bus.jpg").read_bytes()


@pytest.fixture(scope="module")
def chelsea_jpeg() -> bytes:
    import skimage.data

    return encode(skimage.data.chelsea(), quality=95)


def by_name(response: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {label["Name"]: label for label in response["Labels"]}


def parents(label: dict[str, Any]) -> set[str]:
    return {parent["Name"] for parent in label["Parents"]}


def test_bus_has_people_with_boxes_and_a_vehicle(rekognition: Any, bus_jpeg: bytes) -> None:
    response = rekognition.detect_labels(Image={"Bytes": bus_jpeg}, MinConfidence=40)
    assert response["LabelModelVersion"] == "3.0"
    assert "OrientationCorrection" not in response
    labels = by_name(response)
    assert all(set(label) == LABEL_KEYS for label in labels.values())
    people = labels["Person"]["Instances"]
    assert len(people) >= 3
    for person in people:
        box = person["BoundingBox"]
        assert box["Left"] >= 0 and box["Left"] + box["Width"] <= 1.0001
        assert box["Top"] >= 0 and box["Top"] + box["Height"] <= 1.0001
        assert box["Height"] > 0.2
        assert person["Confidence"] >= 40
    assert {"Vehicle", "Transportation"} <= parents(labels["Bus"])
    assert labels["Vehicle"]["Confidence"] > 90
    # Every ancestor of a returned label is itself returned, at least as confident.
    for label in labels.values():
        for parent in parents(label):
            assert labels[parent]["Confidence"] >= label["Confidence"] - 1e-6


def test_coffee_is_a_coffee_cup(rekognition: Any, coffee_jpeg: bytes) -> None:
    labels = by_name(rekognition.detect_labels(Image={"Bytes": coffee_jpeg}))
    assert labels["Coffee Cup"]["Confidence"] > 90
    assert parents(labels["Coffee Cup"]) == {"Cup"}
    assert {"Coffee", "Beverage", "Food"} <= parents(labels["Espresso"])
    assert labels["Beverage"]["Categories"] == [{"Name": "Food and Beverage"}]
    assert "Person" not in labels


def test_chelsea_is_a_cat(rekognition: Any, chelsea_jpeg: bytes) -> None:
    labels = by_name(rekognition.detect_labels(Image={"Bytes": chelsea_jpeg}))
    assert labels["Cat"]["Confidence"] > 90
    assert {"Animal", "Mammal", "Pet"} <= parents(labels["Cat"])
    assert labels["Cat"]["Categories"] == [{"Name": "Animals and Pets"}]


def test_min_confidence_and_max_labels(rekognition: Any, chelsea_jpeg: bytes) -> None:
    everything = rekognition.detect_labels(Image={"Bytes": chelsea_jpeg}, MinConfidence=0)["Labels"]
    default = rekognition.detect_labels(Image={"Bytes": chelsea_jpeg})["Labels"]
    assert len(everything) > len(default) > 0
    assert all(label["Confidence"] >= 55 for label in default)
    confidences = [label["Confidence"] for label in everything]
    assert confidences == sorted(confidences, reverse=True)
    top = rekognition.detect_labels(Image={"Bytes": chelsea_jpeg}, MaxLabels=2, MinConfidence=0)["Labels"]
    assert [label["Name"] for label in top] == [label["Name"] for label in everything[:2]]


def test_inclusion_and_exclusion_filters(rekognition: Any, chelsea_jpeg: bytes) -> None:
    only_cat = rekognition.detect_labels(
        Image={"Bytes": chelsea_jpeg},
        Features=["GENERAL_LABELS"],
        Settings={"GeneralLabels": {"LabelInclusionFilters": ["Cat"]}},
    )["Labels"]
    assert [label["Name"] for label in only_cat] == ["Cat"]
    no_animals = rekognition.detect_labels(
        Image={"Bytes": chelsea_jpeg},
        Settings={"GeneralLabels": {"LabelCategoryExclusionFilters": ["Animals and Pets"]}},
    )["Labels"]
    assert all(label["Categories"] != [{"Name": "Animals and Pets"}] for label in no_animals)


def test_image_properties_alone(rekognition: Any, coffee_jpeg: bytes) -> None:
    response = rekognition.detect_labels(
        Image={"Bytes": coffee_jpeg},
        Features=["IMAGE_PROPERTIES"],
        Settings={"ImageProperties": {"MaxDominantColors": 3}},
    )
    assert "Labels" not in response
    properties = response["ImageProperties"]
    assert set(properties["Quality"]) == {"Brightness", "Sharpness", "Contrast"}
    assert all(0 <= value <= 100 for value in properties["Quality"].values())
    colours = properties["DominantColors"]
    assert 1 <= len(colours) <= 3
    assert all(colour["HexCode"].startswith("#") and colour["SimplifiedColor"] for colour in colours)


def test_image_properties_with_labels_colour_the_instances(rekognition: Any, bus_jpeg: bytes) -> None:
    response = rekognition.detect_labels(
        Image={"Bytes": bus_jpeg}, Features=["GENERAL_LABELS", "IMAGE_PROPERTIES"]
    )
    people = by_name(response)["Person"]["Instances"]
    assert people and all(1 <= len(person["DominantColors"]) <= 10 for person in people)
    assert response["ImageProperties"]["DominantColors"]


def test_not_an_image_is_invalid_image_format(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.InvalidImageFormatException):
        rekognition.detect_labels(Image={"Bytes": b"definitely not a picture"})
