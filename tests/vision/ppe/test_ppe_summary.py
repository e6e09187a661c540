"""The Summary's rules on made-up persons: with, without and indeterminate."""

from __future__ import annotations

from typing import Any

from argus.vision.ppe.detector import BodyPart, EquipmentDetection, PersonEquipment, summarize

BOX = (0.0, 0.0, 1.0, 1.0)


def cover(kind: str, confidence: float = 0.9, covers: bool = True) -> EquipmentDetection:
    return EquipmentDetection(kind, BOX, confidence, covers, confidence)


def person(*parts: BodyPart, confidence: float = 0.95) -> PersonEquipment:
    from argus.vision.ppe.persons import Person

    stand_in: Any = None  # the summary only reads body parts and confidence
    return PersonEquipment(
        person=Person(pose=stand_in, face=None, box=BOX, confidence=confidence), body_parts=parts, box=BOX
    )


def part(name: str, confidence: float = 0.9, *equipment: EquipmentDetection) -> BodyPart:
    return BodyPart(name, BOX, confidence, tuple(equipment))


def test_masked_face_is_with_and_bare_face_is_without() -> None:
    masked = person(part("FACE", 0.9, cover("FACE_COVER")))
    bare = person(part("FACE", 0.9))
    assert summarize([masked, bare], 80, ["FACE_COVER"]) == {
        "PersonsWithRequiredEquipment": [0],
        "PersonsWithoutRequiredEquipment": [1],
        "PersonsIndeterminate": [],
    }


def test_person_without_a_visible_face_is_indeterminate() -> None:
    seen_from_behind = person(part("HEAD", 0.9))
    assert summarize([seen_from_behind], 80, ["FACE_COVER"])["PersonsIndeterminate"] == [0]


def test_hand_cover_needs_both_hands() -> None:
    one_gloved_hand = person(part("LEFT_HAND", 0.9, cover("HAND_COVER")))
    both = person(part("LEFT_HAND", 0.9, cover("HAND_COVER")), part("RIGHT_HAND", 0.9, cover("HAND_COVER")))
    summary = summarize([one_gloved_hand, both], 80, ["HAND_COVER"])
    assert summary["PersonsIndeterminate"] == [0]
    assert summary["PersonsWithRequiredEquipment"] == [1]


def test_a_bare_required_part_outweighs_an_unseen_one() -> None:
    bare_face_no_hands = person(part("FACE", 0.9))
    assert summarize([bare_face_no_hands], 80, ["FACE_COVER", "HAND_COVER"])[
        "PersonsWithoutRequiredEquipment"
    ] == [0]


def test_cover_below_min_confidence_does_not_count() -> None:
    unsure_mask = person(part("FACE", 0.95, cover("FACE_COVER", confidence=0.7)))
    summary = summarize([unsure_mask], 80, ["FACE_COVER"])
    assert summary["PersonsWithoutRequiredEquipment"] == [0]
    assert summarize([unsure_mask], 60, ["FACE_COVER"])["PersonsWithRequiredEquipment"] == [0]


def test_body_part_below_min_confidence_is_indeterminate() -> None:
    faint_face = person(part("FACE", 0.6))
    assert summarize([faint_face], 80, ["FACE_COVER"])["PersonsIndeterminate"] == [0]


def test_min_confidence_below_50_counts_as_50() -> None:
    faint = person(part("FACE", 0.55, cover("FACE_COVER", confidence=0.45)))
    assert summarize([faint], 10, ["FACE_COVER"]) == summarize([faint], 50, ["FACE_COVER"])
    assert summarize([faint], 10, ["FACE_COVER"])["PersonsWithoutRequiredEquipment"] == [0]


def test_cover_that_does_not_cover_the_part_does_not_count() -> None:
    mask_under_chin = person(part("FACE", 0.9, cover("FACE_COVER", covers=False)))
    assert summarize([mask_under_chin], 80, ["FACE_COVER"])["PersonsWithoutRequiredEquipment"] == [0]
