"""From classifier evidence to ModerationLabels, with detector outputs constructed by hand.

No explicit imagery is shipped: these tests give the mapping the scores the detectors would give.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from argus.vision.moderation import taxonomy
from argus.vision.moderation.taxonomy import Evidence, moderation_labels

TAXONOMY = taxonomy.load()
EXPLICIT_IMAGE_NSFW = 0.9  # open_nsfw on a pornographic photo scores above Yahoo's 0.8


def labels(evidence: Evidence, min_confidence: float = 50.0) -> dict[str, dict[str, Any]]:
    return {label["Name"]: label for label in moderation_labels(TAXONOMY, evidence, min_confidence)}


def test_exposed_genitalia_is_reported_with_its_ancestors() -> None:
    found = labels(Evidence(nudenet={"MALE_GENITALIA_EXPOSED": 0.8}, open_nsfw=EXPLICIT_IMAGE_NSFW))
    assert found["Exposed Male Genitalia"] == {
        "Confidence": 80.0,
        "Name": "Exposed Male Genitalia",
        "ParentName": "Explicit Nudity",
        "TaxonomyLevel": 3,
    }
    assert found["Explicit Nudity"]["ParentName"] == "Explicit"
    assert found["Explicit Nudity"]["TaxonomyLevel"] == 2
    assert found["Explicit"]["ParentName"] == ""
    assert found["Explicit"]["TaxonomyLevel"] == 1


def test_a_parent_has_the_best_confidence_of_its_children() -> None:
    found = labels(
        Evidence(
            nudenet={"FEMALE_BREAST_EXPOSED": 0.62, "BUTTOCKS_EXPOSED": 0.74, "ANUS_EXPOSED": 0.55},
            open_nsfw=0.5,
        )
    )
    assert found["Exposed Female Nipple"]["Confidence"] == 62.0
    assert found["Exposed Buttocks or Anus"]["Confidence"] == 74.0  # the better of its two classes
    assert found["Explicit Nudity"]["Confidence"] == 74.0
    assert found["Explicit"]["Confidence"] == 74.0


def test_every_reported_label_comes_with_its_parent() -> None:
    rng = np.random.default_rng(3)
    classes = sorted(TAXONOMY.mapped_nudenet_classes | set(TAXONOMY.unmapped_nudenet_classes))
    for _ in range(200):
        evidence = Evidence(
            nudenet={name: float(rng.uniform(0.25, 1.0)) for name in classes if rng.uniform() < 0.3},
            open_nsfw=float(rng.uniform()),
        )
        found = labels(evidence, min_confidence=float(rng.uniform(0, 100)))
        for label in found.values():
            if label["TaxonomyLevel"] > 1:
                parent = found[label["ParentName"]]
                assert parent["TaxonomyLevel"] == label["TaxonomyLevel"] - 1
                assert parent["Confidence"] >= label["Confidence"]


def test_min_confidence_drops_labels_below_it() -> None:
    evidence = Evidence(nudenet={"MALE_BREAST_EXPOSED": 0.55, "FEMALE_GENITALIA_COVERED": 0.9})
    assert "Exposed Male Nipple" in labels(evidence, min_confidence=50)
    at_60 = labels(evidence, min_confidence=60)
    assert "Exposed Male Nipple" not in at_60
    assert "Non-Explicit Nudity of Intimate parts and Kissing" not in at_60
    assert at_60["Female Swimwear or Underwear"]["Confidence"] == 90.0
    assert all(label["Confidence"] >= 60 for label in at_60.values())


def test_explicit_parts_need_open_nsfw_to_agree() -> None:
    # skimage's colour wheel: NudeNet sees BUTTOCKS_EXPOSED at 0.83, open_nsfw 0.004.
    assert labels(Evidence(nudenet={"BUTTOCKS_EXPOSED": 0.83}, open_nsfw=0.004), min_confidence=0) == {}
    assert "Exposed Buttocks or Anus" in labels(Evidence(nudenet={"BUTTOCKS_EXPOSED": 0.83}, open_nsfw=0.2))


def test_open_nsfw_alone_reports_only_the_top_level_explicit_category() -> None:
    found = moderation_labels(TAXONOMY, Evidence(open_nsfw=0.93), 50)
    assert found == [{"Confidence": 93.0, "Name": "Explicit", "ParentName": "", "TaxonomyLevel": 1}]
    assert moderation_labels(TAXONOMY, Evidence(open_nsfw=0.79), 0) == []


def test_unmapped_classes_report_nothing() -> None:
    evidence = Evidence(nudenet={name: 0.99 for name in TAXONOMY.unmapped_nudenet_classes}, open_nsfw=0.5)
    assert labels(evidence, min_confidence=0) == {}


def test_labels_are_sorted_most_confident_first_parents_before_children() -> None:
    found = moderation_labels(TAXONOMY, Evidence(nudenet={"MALE_BREAST_EXPOSED": 0.7}), 0)
    assert [(label["Name"], label["TaxonomyLevel"]) for label in found] == [
        ("Non-Explicit Nudity of Intimate parts and Kissing", 1),
        ("Non-Explicit Nudity", 2),
        ("Exposed Male Nipple", 3),
    ]
