"""DetectProtectiveEquipment on real photos: persons, body parts, face covers and the Summary."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from argus.vision.ppe.detector import (
    PersonEquipment,
    ProtectiveEquipmentDetector,
)
from argus.vision.ppe.pose import Box
from tests.vision.conftest import RGB

ASTRONAUT_FACE = (175.0, 75.0, 265.0, 170.0)


def inside(box: Box, outer: Box, slack: float = 1.0) -> bool:
    return (
        box[0] >= outer[0] - slack
        and box[1] >= outer[1] - slack
        and box[2] <= outer[2] + slack
        and box[3] <= outer[3] + slack
    )


def centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0


@pytest.fixture(scope="module")
def astronaut_persons(ppe: ProtectiveEquipmentDetector, astronaut: RGB) -> list[PersonEquipment]:
    return ppe.analyze(astronaut)


@pytest.fixture(scope="module")
def bus_persons(ppe: ProtectiveEquipmentDetector, bus: RGB) -> list[PersonEquipment]:
    return ppe.analyze(bus)


def test_astronaut_has_a_face_inside_her_box_where_her_face_is(
    astronaut_persons: list[PersonEquipment],
) -> None:
    assert len(astronaut_persons) == 1
    person = astronaut_persons[0]
    face = person.part("FACE")
    assert face is not None
    assert inside(face.box, person.box)
    x, y = centre(face.box)
    assert ASTRONAUT_FACE[0] < x < ASTRONAUT_FACE[2]
    assert ASTRONAUT_FACE[1] < y < ASTRONAUT_FACE[3]


def test_astronaut_head_contains_her_face_and_reaches_above_it(
    astronaut_persons: list[PersonEquipment],
) -> None:
    person = astronaut_persons[0]
    face, head = person.part("FACE"), person.part("HEAD")
    assert face is not None and head is not None
    assert inside(head.box, person.box)
    assert inside(face.box, head.box, slack=0.5 * (face.box[2] - face.box[0]))
    assert head.box[1] < face.box[1]  # the head reaches above the face box (her hair)
    assert head.box[1] > ASTRONAUT_FACE[1] - 60  # ... but not far above her hair (top near y 20)


def test_bus_people_have_face_and_head_inside_their_boxes(bus_persons: list[PersonEquipment]) -> None:
    with_face = [person for person in bus_persons if person.part("FACE") and person.part("HEAD")]
    assert len(with_face) >= 2
    for person in with_face:
        face, head = person.part("FACE"), person.part("HEAD")
        assert face is not None and head is not None
        assert inside(face.box, person.box, slack=5.0)
        assert inside(head.box, person.box, slack=5.0)
        assert face.box[1] < person.box[1] + 0.25 * (person.box[3] - person.box[1])  # faces at the top


def test_bare_faces_have_no_face_cover(
    astronaut_persons: list[PersonEquipment], bus_persons: list[PersonEquipment]
) -> None:
    faces = [person.part("FACE") for person in astronaut_persons + bus_persons]
    assert len([face for face in faces if face is not None]) >= 3
    for face in faces:
        if face is not None:
            assert [item for item in face.equipment if item.type == "FACE_COVER" and item.covers] == []


def test_response_ids_count_from_zero_in_order(ppe: ProtectiveEquipmentDetector, zidane: RGB) -> None:
    persons = ppe.detect_protective_equipment(zidane)["Persons"]
    assert [person["Id"] for person in persons] == list(range(len(persons)))
    assert len(persons) == 2


def test_response_has_rekognitions_members(ppe: ProtectiveEquipmentDetector, astronaut: RGB) -> None:
    response = ppe.detect_protective_equipment(astronaut)
    assert set(response) == {"ProtectiveEquipmentModelVersion", "Persons"}
    person = response["Persons"][0]
    assert set(person) == {"BodyParts", "BoundingBox", "Confidence", "Id"}
    assert {part["Name"] for part in person["BodyParts"]} >= {"FACE", "HEAD"}
    for part in person["BodyParts"]:
        assert set(part) == {"Name", "Confidence", "EquipmentDetections"}
        assert 50.0 <= part["Confidence"] <= 100.0


def test_summary_puts_bare_faced_persons_without_face_cover(
    ppe: ProtectiveEquipmentDetector, zidane: RGB
) -> None:
    summary = ppe.detect_protective_equipment(
        zidane, {"MinConfidence": 50, "RequiredEquipmentTypes": ["FACE_COVER"]}
    )["Summary"]
    assert summary == {
        "PersonsWithRequiredEquipment": [],
        "PersonsWithoutRequiredEquipment": [0, 1],
        "PersonsIndeterminate": [],
    }


def test_picture_without_people_has_no_persons(ppe: ProtectiveEquipmentDetector, coffee: RGB) -> None:
    response = ppe.detect_protective_equipment(
        coffee, {"MinConfidence": 80, "RequiredEquipmentTypes": ["FACE_COVER"]}
    )
    assert response["Persons"] == []
    assert response["Summary"] == {
        "PersonsWithRequiredEquipment": [],
        "PersonsWithoutRequiredEquipment": [],
        "PersonsIndeterminate": [],
    }


class FakeMaskModel:
    """A trained detector that reports a face cover over the astronaut's lower face."""

    types = frozenset({"FACE_COVER"})

    def detect(self, rgb: Any) -> list[tuple[str, Box, float]]:
        return [("FACE_COVER", (180.0, 120.0, 260.0, 185.0), 0.93)]


def test_trained_model_takes_over_its_types(ppe: ProtectiveEquipmentDetector, astronaut: RGB) -> None:
    hooked = ProtectiveEquipmentDetector(ppe.finder, None, trained=FakeMaskModel())
    face = hooked.analyze(astronaut)[0].part("FACE")
    assert face is not None
    assert [(item.type, item.confidence, item.covers) for item in face.equipment] == [
        ("FACE_COVER", 0.93, True)
    ]


def test_disabled_types_report_body_parts_without_equipment(
    ppe: ProtectiveEquipmentDetector, astronaut: RGB
) -> None:
    plain = ProtectiveEquipmentDetector(ppe.finder, None, enabled=())
    parts = plain.analyze(astronaut)[0].body_parts
    assert {part.name for part in parts} >= {"FACE", "HEAD"}
    assert all(part.equipment == () for part in parts)


def test_unknown_equipment_type_is_refused(ppe: ProtectiveEquipmentDetector) -> None:
    with pytest.raises(ValueError, match="unknown equipment types"):
        ProtectiveEquipmentDetector(ppe.finder, None, enabled=("GOGGLES",))


def test_rgb_must_be_uint8(ppe: ProtectiveEquipmentDetector) -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        ppe.analyze(np.zeros((10, 10), dtype=np.uint8))


def test_equipment_detection_is_reported_with_its_box(
    ppe: ProtectiveEquipmentDetector, astronaut: RGB
) -> None:
    hooked = ProtectiveEquipmentDetector(ppe.finder, None, trained=FakeMaskModel())
    person = hooked.detect_protective_equipment(astronaut)["Persons"][0]
    (face,) = [part for part in person["BodyParts"] if part["Name"] == "FACE"]
    (item,) = face["EquipmentDetections"]
    assert item["Type"] == "FACE_COVER"
    assert item["BoundingBox"] == pytest.approx(
        {"Width": 80 / 512, "Height": 65 / 512, "Left": 180 / 512, "Top": 120 / 512}
    )
    assert item["CoversBodyPart"]["Value"] is True
