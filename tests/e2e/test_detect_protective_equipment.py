"""DetectProtectiveEquipment end to end: gateway -> image queue -> image worker -> pose and mask models."""

from __future__ import annotations

from typing import Any

import pytest

REQUIRE_FACE_COVER = {"MinConfidence": 80, "RequiredEquipmentTypes": ["FACE_COVER"]}


def test_astronaut_is_person_0_with_face_and_head(rekognition: Any, astronaut_jpeg: bytes) -> None:
    response = rekognition.detect_protective_equipment(Image={"Bytes": astronaut_jpeg})
    assert response["ProtectiveEquipmentModelVersion"] == "1.0"
    assert "Summary" not in response
    (person,) = response["Persons"]
    assert person["Id"] == 0
    assert {part["Name"] for part in person["BodyParts"]} >= {"FACE", "HEAD"}
    box = person["BoundingBox"]
    # Her face (x 175-265, y 75-170 of 512) is inside her box.
    assert box["Left"] < 175 / 512 and box["Left"] + box["Width"] > 265 / 512
    assert box["Top"] < 75 / 512 and box["Top"] + box["Height"] > 170 / 512


def test_bare_face_has_no_face_cover(rekognition: Any, astronaut_jpeg: bytes) -> None:
    person = rekognition.detect_protective_equipment(Image={"Bytes": astronaut_jpeg})["Persons"][0]
    (face,) = [part for part in person["BodyParts"] if part["Name"] == "FACE"]
    assert [item for item in face["EquipmentDetections"] if item["Type"] == "FACE_COVER"] == []


def test_summary_puts_both_bare_faced_men_without_face_cover(rekognition: Any, zidane_jpeg: bytes) -> None:
    response = rekognition.detect_protective_equipment(
        Image={"Bytes": zidane_jpeg}, SummarizationAttributes=REQUIRE_FACE_COVER
    )
    assert [person["Id"] for person in response["Persons"]] == [0, 1]
    assert response["Summary"] == {
        "PersonsWithRequiredEquipment": [],
        "PersonsWithoutRequiredEquipment": [0, 1],
        "PersonsIndeterminate": [],
    }


def test_picture_without_people_has_no_persons(rekognition: Any, coffee_jpeg: bytes) -> None:
    response = rekognition.detect_protective_equipment(
        Image={"Bytes": coffee_jpeg}, SummarizationAttributes=REQUIRE_FACE_COVER
    )
    assert response["Persons"] == []
    assert response["Summary"]["PersonsWithoutRequiredEquipment"] == []


def test_min_confidence_over_100_is_a_validation_error(raw_rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(raw_rekognition.exceptions.ClientError) as raised:
        raw_rekognition.detect_protective_equipment(
            Image={"Bytes": astronaut_jpeg},
            SummarizationAttributes={"MinConfidence": 150, "RequiredEquipmentTypes": ["FACE_COVER"]},
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
