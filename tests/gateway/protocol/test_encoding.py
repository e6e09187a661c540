"""Results are encoded as AWS JSON 1.1 sends them, and botocore parses them back."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import botocore.parsers
import numpy as np
import pytest

from argus.gateway.protocol.encoding import dumps, encode_output
from argus.gateway.protocol.validation import service_model

CREATED = datetime(2024, 5, 1, 12, 30, 45, 123000, tzinfo=UTC)
ARN = "arn:aws:rekognition:us-east-1:123456789012:collection/faces"


def encode(operation: str, result: dict[str, Any]) -> dict[str, Any]:
    return encode_output(service_model().operation_model(operation), result)


def botocore_parse(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    shape = service_model().operation_model(operation).output_shape
    response = {"body": dumps(body), "headers": {}, "status_code": 200}
    parsed: dict[str, Any] = botocore.parsers.create_parser("json").parse(response, shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def describe_collection() -> dict[str, Any]:
    return {
        "FaceCount": 3,
        "FaceModelVersion": "6.0",
        "CollectionARN": ARN,
        "CreationTimestamp": CREATED,
        "UserCount": 0,
    }


def test_timestamp_becomes_epoch_seconds() -> None:
    encoded = encode("DescribeCollection", describe_collection())
    assert encoded["CreationTimestamp"] == 1714566645.123
    assert isinstance(encoded["CreationTimestamp"], float)


def test_timestamp_round_trips_through_botocore() -> None:
    parsed = botocore_parse("DescribeCollection", encode("DescribeCollection", describe_collection()))
    assert parsed == describe_collection()
    assert parsed["CreationTimestamp"].utcoffset().total_seconds() == 0


def test_naive_datetime_is_taken_as_utc() -> None:
    naive = {**describe_collection(), "CreationTimestamp": CREATED.replace(tzinfo=None)}
    assert encode("DescribeCollection", naive)["CreationTimestamp"] == 1714566645.123


def test_member_not_in_the_shape_is_a_bug() -> None:
    with pytest.raises(
        ValueError, match=r"^DescribeCollection: 'Owner' is not a member of DescribeCollectionResponse$"
    ):
        encode("DescribeCollection", {**describe_collection(), "Owner": "alice"})


def test_nested_member_not_in_the_shape_is_a_bug() -> None:
    face = {"BoundingBox": {"Width": 0.5, "Height": 0.5, "Left": 0.1, "Top": 0.1, "Area": 0.25}}
    with pytest.raises(ValueError, match=r"DetectFaces\.FaceDetails\[0\]\.BoundingBox: 'Area'"):
        encode("DetectFaces", {"FaceDetails": [face]})


def test_none_members_are_dropped() -> None:
    result = {**describe_collection(), "UserCount": None, "FaceModelVersion": None}
    assert set(encode("DescribeCollection", result)) == {"FaceCount", "CollectionARN", "CreationTimestamp"}


def test_blob_becomes_base64() -> None:
    image = bytes(range(256))
    encoded = encode("GetFaceLivenessSessionResults", {"SessionId": "s", "ReferenceImage": {"Bytes": image}})
    assert encoded["ReferenceImage"] == {"Bytes": base64.b64encode(image).decode()}
    parsed = botocore_parse("GetFaceLivenessSessionResults", encoded)
    assert parsed["ReferenceImage"]["Bytes"] == image


def test_lists_and_numpy_numbers_are_plain_json() -> None:
    class Emotion(Enum):
        HAPPY = "HAPPY"

    face = {
        "BoundingBox": {"Width": np.float32(0.5), "Height": 0.25, "Left": 0, "Top": 0.125},
        "AgeRange": {"Low": np.int64(20), "High": 30},
        "Emotions": [{"Type": Emotion.HAPPY, "Confidence": 99.5}],
        "Confidence": 99.9,
    }
    encoded = encode("DetectFaces", {"FaceDetails": [face], "OrientationCorrection": None})
    assert json.loads(dumps(encoded)) == {
        "FaceDetails": [
            {
                "BoundingBox": {"Width": 0.5, "Height": 0.25, "Left": 0.0, "Top": 0.125},
                "AgeRange": {"Low": 20, "High": 30},
                "Emotions": [{"Type": "HAPPY", "Confidence": 99.5}],
                "Confidence": 99.9,
            }
        ]
    }
    assert botocore_parse("DetectFaces", encoded)["FaceDetails"][0]["AgeRange"] == {"Low": 20, "High": 30}


def test_wrong_value_type_is_a_bug() -> None:
    with pytest.raises(
        ValueError, match=r"^DescribeCollection\.FaceCount: a str cannot be encoded as long ULong$"
    ):
        encode("DescribeCollection", {**describe_collection(), "FaceCount": "3"})


def test_boolean_is_not_a_number() -> None:
    with pytest.raises(ValueError, match=r"^DescribeCollection\.FaceCount: a bool cannot be encoded as long"):
        encode("DescribeCollection", {**describe_collection(), "FaceCount": True})


def test_dumps_is_compact_utf8() -> None:
    assert dumps({"Name": "visión", "Ids": [1, 2]}) == '{"Name":"visión","Ids":[1,2]}'.encode()


def test_dumps_refuses_nan() -> None:
    with pytest.raises(ValueError):
        dumps({"Confidence": float("nan")})
