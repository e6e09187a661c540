"""The label models on real photos: classifier through the taxonomy, people from BlazePose."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from argus.vision.labels.classifier import ImageNetClassifier
from argus.vision.labels.detector import Label, LabelDetector
from argus.vision.labels.persons import PersonDetector, ssd_anchors, windows
from argus.vision.labels.taxonomy import Taxonomy

RGB = NDArray[np.uint8]


def by_name(labels: list[Label]) -> dict[str, Label]:
    return {label.name: label for label in labels}


@pytest.fixture(scope="session")
def chelsea() -> RGB:
    import skimage.data

    return np.asarray(skimage.data.chelsea())


def test_anchor_layout_matches_the_model_outputs() -> None:
    anchors = ssd_anchors()
    assert anchors.shape == (2254, 2)
    assert anchors[0] == pytest.approx((0.5 / 28, 0.5 / 28))
    assert anchors[-1] == pytest.approx((6.5 / 7, 6.5 / 7))


def test_small_images_are_not_tiled_and_large_ones_are() -> None:
    assert windows(300, 451) == [(0, 0, 451, 300)]
    tiles = windows(1080, 810)
    assert tiles[0] == (0, 0, 810, 1080)
    assert all(right - left == bottom - top for left, top, right, bottom in tiles[1:])
    assert all(
        left >= 0 and right <= 810 and top >= 0 and bottom <= 1080 for left, top, right, bottom in tiles
    )


def test_classifier_probabilities_sum_to_one(classifier: ImageNetClassifier, coffee: RGB) -> None:
    probabilities = classifier.probabilities(coffee)
    assert probabilities.shape == (1000,)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)


def test_classifier_refuses_a_grey_image(classifier: ImageNetClassifier) -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        classifier.probabilities(np.zeros((64, 64), dtype=np.uint8))


def test_coffee_is_a_coffee_cup_and_a_beverage(labeler: LabelDetector, coffee: RGB) -> None:
    labels = by_name(labeler.detect(coffee))
    for name in ("Coffee Cup", "Cup", "Espresso", "Coffee", "Beverage"):
        assert labels[name].confidence > 90, name
    assert "Person" not in labels


def test_chelsea_is_a_cat_pet_mammal_animal(labeler: LabelDetector, chelsea: RGB, taxonomy: Taxonomy) -> None:
    labels = by_name(labeler.detect(chelsea))
    assert labels["Cat"].confidence > 90
    assert {"Animal", "Mammal", "Pet"} <= set(taxonomy.ancestors("Cat"))
    assert all(labels[name].confidence >= labels["Cat"].confidence for name in ("Animal", "Mammal", "Pet"))
    assert "Person" not in labels


def test_bus_has_at_least_three_people_and_a_bus(
    labeler: LabelDetector, bus: RGB, taxonomy: Taxonomy
) -> None:
    labels = by_name(labeler.detect(bus))
    people = labels["Person"].instances
    assert len(people) >= 3
    height, width = bus.shape[:2]
    for person in people:
        left, top, right, bottom = person.box
        assert 0 <= left < right <= width and 0 <= top < bottom <= height
        assert bottom - top > right - left  # standing people are taller than wide
        assert person.confidence > 55
    # The two men in the middle of the picture (hand-measured: x 50-245 and x 220-350, y 400-900).
    centres = sorted((left + right) / 2 for left, _, right, _ in (person.box for person in people))
    assert any(100 < x < 200 for x in centres) and any(250 < x < 330 for x in centres)
    assert labels["Vehicle"].confidence > 90
    assert labels["Bus"].confidence > 40
    assert {"Vehicle", "Transportation"} <= set(taxonomy.ancestors("Bus"))


def test_zidane_has_one_person_on_each_side(labeler: LabelDetector, zidane: RGB) -> None:
    people = by_name(labeler.detect(zidane))["Person"].instances
    assert len(people) == 2
    centres = sorted((person.box[0] + person.box[2]) / 2 / zidane.shape[1] for person in people)
    assert centres[0] < 0.5 < centres[1]


def test_astronaut_is_one_person_around_her_face(people: PersonDetector, astronaut: RGB) -> None:
    found = people.detect(astronaut)
    assert len(found) == 1
    left, top, right, bottom = found[0].box
    # Her face spans about x 175-265, y 75-170 of the 512x512 picture; her body goes to the bottom.
    assert left < 175 and right > 265 and top < 90 and bottom > 400


def test_parents_are_at_least_as_confident_as_children(labeler: LabelDetector, chelsea: RGB) -> None:
    labels = by_name(labeler.detect(chelsea))
    for label in labels.values():
        for parent in labeler.taxonomy.ancestors(label.name):
            assert labels[parent].confidence >= label.confidence - 1e-9
