"""DetectLabels' response from detected labels: MinConfidence, MaxLabels, filters and the shape."""

from __future__ import annotations

from typing import Any

import pytest

from argus.vision.labels.detector import Instance, Label, LabelDetector
from argus.vision.labels.taxonomy import LabelInfo, Taxonomy, load_taxonomy
from argus.workers.image.labels import passes_filters, select

BOTOCORE_LABEL_KEYS = {"Name", "Confidence", "Instances", "Parents", "Aliases", "Categories"}


def label(name: str, confidence: float, instances: list[Instance] | None = None) -> Label:
    return Label(info=load_taxonomy().labels[name], confidence=confidence, instances=instances or [])


LABELS = [
    label("Animal", 99.0),
    label("Mammal", 98.0),
    label("Pet", 97.0),
    label("Cat", 96.0, [Instance((10, 20, 110, 220), 96.0), Instance((0, 0, 5, 5), 30.0)]),
    label("Dog", 40.0),
]


def names(response: list[dict[str, Any]]) -> list[str]:
    return [entry["Name"] for entry in response]


def test_shape_is_botocores_label_shape() -> None:
    response = select(LABELS, width=200, height=400)
    cat = response[names(response).index("Cat")]
    assert set(cat) == BOTOCORE_LABEL_KEYS
    assert cat["Parents"] == [{"Name": parent} for parent in load_taxonomy().ancestors("Cat")]
    assert cat["Categories"] == [{"Name": "Animals and Pets"}]
    assert cat["Instances"] == [
        {"BoundingBox": {"Width": 0.5, "Height": 0.5, "Left": 0.05, "Top": 0.05}, "Confidence": 96.0}
    ]


def test_default_min_confidence_is_55_and_applies_to_instances() -> None:
    response = select(LABELS, width=200, height=400)
    assert names(response) == ["Animal", "Mammal", "Pet", "Cat"]
    assert len(response[3]["Instances"]) == 1
    assert "Dog" in names(select(LABELS, 200, 400, min_confidence=40))
    assert len(select(LABELS, 200, 400, min_confidence=0)[3]["Instances"]) == 2


def test_max_labels_keeps_the_most_confident() -> None:
    assert names(select(LABELS, 200, 400, max_labels=2)) == ["Animal", "Mammal"]
    assert select(LABELS, 200, 400, max_labels=0) == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"LabelInclusionFilters": ["cat"]}, ["Cat"]),
        ({"LabelExclusionFilters": ["Pet", "Mammal"]}, ["Animal", "Cat"]),
        ({"LabelInclusionFilters": ["Cat", "Pet"], "LabelExclusionFilters": ["Pet"]}, ["Cat"]),
        ({"LabelCategoryInclusionFilters": ["Animals and Pets"]}, ["Animal", "Mammal", "Pet", "Cat"]),
        ({"LabelCategoryInclusionFilters": ["Food and Beverage"]}, []),
        ({"LabelCategoryExclusionFilters": ["Animals and Pets"]}, []),
        (
            {"LabelCategoryInclusionFilters": ["Vehicles and Automotive"], "LabelInclusionFilters": ["Cat"]},
            ["Cat"],
        ),
    ],
)
def test_general_labels_filters(settings: dict[str, list[str]], expected: list[str]) -> None:
    assert names(select(LABELS, 200, 400, settings=settings)) == expected


def test_filters_without_settings_keep_everything() -> None:
    assert passes_filters(LABELS[0], {})


class FixedClassifier:
    def __init__(self, probabilities: dict[int, float]) -> None:
        import numpy as np

        self.vector = np.zeros(1000)
        for index, value in probabilities.items():
            self.vector[index] = value

    def probabilities(self, rgb: Any) -> Any:
        return self.vector


class FakeYolo:
    """Stands in for :class:`argus.vision.labels.yolo.YoloDetector` (same ``detect`` result)."""

    def detect(self, rgb: Any) -> list[Any]:
        from argus.vision.labels.yolo import Detection

        return [
            Detection("bus", 0.9, (0.0, 100.0, 800.0, 700.0)),
            Detection("person", 0.8, (50.0, 400.0, 240.0, 900.0)),
            Detection("person", 0.7, (660.0, 380.0, 810.0, 880.0)),
            Detection("hard_hat", 0.6, (60.0, 380.0, 120.0, 420.0)),
        ]


def test_detector_instances_raise_their_label_and_its_ancestors() -> None:
    import numpy as np

    taxonomy: Taxonomy = load_taxonomy()
    minibus = taxonomy.imagenet_names.index("minibus")
    detector = LabelDetector(taxonomy, FixedClassifier({minibus: 0.4, 0: 0.6}), objects=FakeYolo())
    found = {entry.name: entry for entry in detector.detect(np.zeros((1080, 810, 3), dtype=np.uint8))}
    assert found["Bus"].confidence == pytest.approx(90.0)
    assert [instance.confidence for instance in found["Bus"].instances] == pytest.approx([90.0])
    assert found["Vehicle"].confidence == pytest.approx(90.0)
    assert found["Transportation"].confidence == pytest.approx(90.0)
    assert found["Minibus"].confidence == pytest.approx(40.0)
    assert len(found["Person"].instances) == 2
    assert found["Hard Hat"].info == LabelInfo("Hard Hat", (), ("Everyday Objects",), (), True)
    response = select(list(found.values()), 810, 1080)
    assert names(response)[:4] == ["Bus", "Transportation", "Vehicle", "Person"]
