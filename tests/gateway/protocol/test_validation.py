"""Requests are checked against botocore's Rekognition model, with AWS's exact error messages."""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from argus.core.errors import (
    AwsError,
    ImageTooLargeException,
    SerializationException,
    ValidationException,
)
from argus.gateway.protocol.validation import (
    IMAGE_BYTES_LIMIT,
    _enum_set,
    compile_java_pattern,
    service_model,
    validate_input,
)

FACE_ID = "11111111-2222-3333-4444-555555555555"
ATTRIBUTE_SET = (
    "[ALL, EYE_DIRECTION, MOUTH_OPEN, MUSTACHE, EYES_OPEN, FACE_OCCLUDED, BEARD, EYEGLASSES, "
    "SUNGLASSES, EMOTIONS, GENDER, AGE_RANGE, SMILE, DEFAULT]"
)


def validate(operation: str, params: object) -> dict[str, Any]:
    return validate_input(service_model().operation_model(operation), params)


def error_of(operation: str, params: object) -> AwsError:
    with pytest.raises(AwsError) as caught:
        validate(operation, params)
    return caught.value


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# -- the model ------------------------------------------------------------------------------


def test_service_model_is_rekognition_and_loaded_once() -> None:
    assert service_model() is service_model()
    assert service_model().service_name == "rekognition"
    assert service_model().protocol == "json"


# -- required members and strings -------------------------------------------------------------


def test_missing_required_member_is_null() -> None:
    error = error_of("CreateCollection", {})
    assert isinstance(error, ValidationException)
    assert error.message == (
        "1 validation error detected: Value null at 'collectionId' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_explicit_null_counts_as_missing() -> None:
    assert error_of("CreateCollection", {"CollectionId": None}).message == (
        "1 validation error detected: Value null at 'collectionId' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_string_pattern_violation() -> None:
    error = error_of("CreateCollection", {"CollectionId": "x y"})
    assert isinstance(error, ValidationException)
    assert error.message == (
        "1 validation error detected: Value 'x y' at 'collectionId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.\\-]+"
    )


def test_string_too_long() -> None:
    value = "a" * 256
    assert error_of("CreateCollection", {"CollectionId": value}).message == (
        f"1 validation error detected: Value '{value}' at 'collectionId' failed to satisfy constraint: "
        "Member must have length less than or equal to 255"
    )


def test_valid_request_is_returned_unchanged() -> None:
    assert validate("CreateCollection", {"CollectionId": "my-faces_1.0"}) == {"CollectionId": "my-faces_1.0"}


def test_nested_member_path_is_lower_camel_case() -> None:
    params = {"Image": {"S3Object": {"Bucket": "ab", "Name": "face.jpg"}}}
    assert error_of("DetectFaces", params).message == (
        "1 validation error detected: Value 'ab' at 'image.s3Object.bucket' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3"
    )


def test_unknown_members_are_ignored_and_dropped() -> None:
    params = {"CollectionId": "faces", "Bogus": 1, "Tags": {"team": "vision"}}
    assert validate("CreateCollection", params) == {"CollectionId": "faces", "Tags": {"team": "vision"}}
    nested = {"Image": {"S3Object": {"Bucket": "bucket", "Name": "a.jpg", "Extra": []}}}
    assert validate("DetectFaces", nested) == {"Image": {"S3Object": {"Bucket": "bucket", "Name": "a.jpg"}}}


# -- numbers ----------------------------------------------------------------------------------


def test_integer_above_max() -> None:
    error = error_of("ListCollections", {"MaxResults": 5000})
    assert isinstance(error, ValidationException)
    assert error.message == (
        "1 validation error detected: Value '5000' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 4096"
    )


def test_string_for_integer_is_serialization_error() -> None:
    error = error_of("ListCollections", {"MaxResults": "abc"})
    assert isinstance(error, SerializationException)
    assert error.message == "Value 'abc' at 'maxResults' could not be parsed as integer"


def test_boolean_for_integer_is_serialization_error() -> None:
    error = error_of("ListCollections", {"MaxResults": True})
    assert isinstance(error, SerializationException)
    assert error.message == "Value 'true' at 'maxResults' could not be parsed as integer"


def test_fraction_for_integer_is_serialization_error() -> None:
    error = error_of("ListCollections", {"MaxResults": 2.5})
    assert isinstance(error, SerializationException)
    assert error.message == "Value '2.5' at 'maxResults' could not be parsed as integer"


def test_integer_outside_32_bits_is_serialization_error() -> None:
    error = error_of("ListCollections", {"MaxResults": 2**31})
    assert isinstance(error, SerializationException)
    assert error.message == "Value '2147483648' at 'maxResults' could not be parsed as integer"


def test_float_below_min_is_printed_as_java_float() -> None:
    params = {"CollectionId": "faces", "FaceId": FACE_ID, "FaceMatchThreshold": -1}
    assert error_of("SearchFaces", params).message == (
        "1 validation error detected: Value '-1.0' at 'faceMatchThreshold' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0"
    )


def test_float_and_integer_accepted_for_float_member() -> None:
    base = {"CollectionId": "faces", "FaceId": FACE_ID}
    assert validate("SearchFaces", {**base, "FaceMatchThreshold": 80.5})["FaceMatchThreshold"] == 80.5
    whole = validate("SearchFaces", {**base, "FaceMatchThreshold": 80})["FaceMatchThreshold"]
    assert whole == 80.0
    assert isinstance(whole, float)


def test_boolean_for_float_is_serialization_error() -> None:
    error = error_of("SearchFaces", {"CollectionId": "faces", "FaceId": FACE_ID, "FaceMatchThreshold": False})
    assert isinstance(error, SerializationException)
    assert error.message == "Value 'false' at 'faceMatchThreshold' could not be parsed as float"


def test_nan_for_float_is_serialization_error() -> None:
    params = {"CollectionId": "faces", "FaceId": FACE_ID, "FaceMatchThreshold": float("nan")}
    error = error_of("SearchFaces", params)
    assert isinstance(error, SerializationException)
    assert error.message == "Value 'nan' at 'faceMatchThreshold' could not be parsed as float"


# -- enums and lists ---------------------------------------------------------------------------


def test_enum_violation_lists_values_in_java_hash_set_order() -> None:
    params = {"CollectionId": "faces", "Image": {"Bytes": b64(b"jpeg")}, "QualityFilter": "BEST"}
    assert error_of("IndexFaces", params).message == (
        "1 validation error detected: Value 'BEST' at 'qualityFilter' failed to satisfy constraint: "
        "Member must satisfy enum value set: [AUTO, HIGH, MEDIUM, LOW, NONE]"
    )


def test_enum_set_order_matches_aws_messages() -> None:
    # Orders seen in real AWS errors for these model enums (Rekognition, Cognito, Lambda, SES).
    assert _enum_set(("DEFAULT", "ALL")) == "[ALL, DEFAULT]"
    assert _enum_set(("OFF", "ON", "OPTIONAL")) == "[OPTIONAL, OFF, ON]"
    assert _enum_set(("None", "Tail")) == "[Tail, None]"
    assert _enum_set(("EmailAddress", "Domain")) == "[Domain, EmailAddress]"


def test_list_of_enum_violation_is_reported_on_the_list() -> None:
    params = {"Image": {"Bytes": b64(b"jpeg")}, "Attributes": ["BOGUS"]}
    error = error_of("DetectFaces", params)
    assert isinstance(error, ValidationException)
    assert error.message == (
        "1 validation error detected: Value '[BOGUS]' at 'attributes' failed to satisfy constraint: "
        f"Member must satisfy constraint: [Member must satisfy enum value set: {ATTRIBUTE_SET}]"
    )


def test_list_element_violations_are_reported_once() -> None:
    params = {"Image": {"Bytes": b64(b"jpeg")}, "Attributes": ["BOGUS", "ALL", "WORSE"]}
    assert error_of("DetectFaces", params).message == (
        "1 validation error detected: Value '[BOGUS, ALL, WORSE]' at 'attributes' failed to satisfy "
        f"constraint: Member must satisfy constraint: [Member must satisfy enum value set: {ATTRIBUTE_SET}]"
    )


def test_null_list_element_is_named_by_its_one_based_index() -> None:
    params = {"Image": {"Bytes": b64(b"jpeg")}, "Attributes": ["ALL", None]}
    assert error_of("DetectFaces", params).message == (
        "1 validation error detected: Value null at 'attributes.2.member' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_structure_in_list_member_path() -> None:
    params = {"Settings": {"ChallengePreferences": [{"Type": "FaceMovementChallenge"}, {"Versions": {}}]}}
    assert error_of("CreateFaceLivenessSession", params).message == (
        "1 validation error detected: Value null at 'settings.challengePreferences.2.member.type' "
        "failed to satisfy constraint: Member must not be null"
    )


def test_list_length_violation_prints_the_list() -> None:
    assert error_of("DeleteFaces", {"CollectionId": "faces", "FaceIds": []}).message == (
        "1 validation error detected: Value '[]' at 'faceIds' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_list_element_pattern_lists_every_element_constraint() -> None:
    params = {"CollectionId": "faces", "FaceIds": [FACE_ID, "nope"]}
    assert error_of("DeleteFaces", params).message == (
        f"1 validation error detected: Value '[{FACE_ID}, nope]' at 'faceIds' failed to satisfy constraint: "
        "Member must satisfy constraint: [Member must satisfy regular expression pattern: "
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}]"
    )


def test_object_where_list_expected_is_serialization_error() -> None:
    error = error_of("DetectFaces", {"Image": {"Bytes": b64(b"jpeg")}, "Attributes": {"ALL": True}})
    assert isinstance(error, SerializationException)
    assert error.message == "Value of type object at 'attributes' could not be parsed as list"


def test_list_where_structure_expected_is_serialization_error() -> None:
    error = error_of("DetectFaces", {"Image": []})
    assert isinstance(error, SerializationException)
    assert error.message == "Value of type array at 'image' could not be parsed as structure"


@pytest.mark.parametrize("body", [[], "x", 3, None])
def test_top_level_must_be_an_object(body: object) -> None:
    assert isinstance(error_of("ListCollections", body), SerializationException)


# -- maps ---------------------------------------------------------------------------------------


def test_unicode_tag_keys_satisfy_java_unicode_classes() -> None:
    tags = {"équipe": "visión", "チーム": "顔"}
    assert validate("CreateCollection", {"CollectionId": "faces", "Tags": tags})["Tags"] == tags


def test_map_key_violation_is_reported_on_the_map() -> None:
    params = {"CollectionId": "faces", "Tags": {"aws:owner": "me"}}
    assert error_of("CreateCollection", params).message == (
        "1 validation error detected: Value '{aws:owner=me}' at 'tags' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must have length less than or equal to 128, "
        "Member must have length greater than or equal to 1, "
        "Member must satisfy regular expression pattern: ^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$]"
    )


# -- several errors -------------------------------------------------------------------------------


def test_all_violations_are_collected_and_counted() -> None:
    params = {"CollectionId": "x y", "FaceId": FACE_ID, "FaceMatchThreshold": 101}
    error = error_of("SearchFaces", params)
    assert isinstance(error, ValidationException)
    assert error.message == (
        "2 validation errors detected: "
        "Value 'x y' at 'collectionId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.\\-]+; "
        "Value '101.0' at 'faceMatchThreshold' failed to satisfy constraint: "
        "Member must have value less than or equal to 100"
    )


def test_serialization_error_wins_over_validation_errors() -> None:
    error = error_of("ListCollections", {"NextToken": "x" * 300, "MaxResults": "ten"})
    assert isinstance(error, SerializationException)


# -- blobs and Image.Bytes ----------------------------------------------------------------------------


def test_image_bytes_are_base64_decoded(astronaut_jpeg: bytes) -> None:
    params = validate("DetectFaces", {"Image": {"Bytes": b64(astronaut_jpeg)}, "Attributes": ["ALL"]})
    assert params == {"Image": {"Bytes": astronaut_jpeg}, "Attributes": ["ALL"]}


def test_bad_base64_is_serialization_error_naming_the_member() -> None:
    error = error_of("DetectFaces", {"Image": {"Bytes": "not*base64"}})
    assert isinstance(error, SerializationException)
    assert error.message == "Value at 'image.bytes' could not be parsed as a base64-encoded blob"


def test_wrapped_base64_is_accepted() -> None:
    data = bytes(range(256)) * 4
    wrapped = "\n".join(b64(data)[i : i + 76] for i in range(0, len(b64(data)), 76))
    assert validate("DetectFaces", {"Image": {"Bytes": wrapped}})["Image"]["Bytes"] == data


def test_empty_image_bytes_fail_min_length_as_a_java_byte_buffer() -> None:
    assert error_of("DetectFaces", {"Image": {"Bytes": ""}}).message == (
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'image.bytes' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1"
    )


def test_image_of_exactly_5_mb_is_accepted() -> None:
    data = b"\xff" * IMAGE_BYTES_LIMIT
    assert IMAGE_BYTES_LIMIT == 5 * 1024 * 1024
    assert validate("DetectFaces", {"Image": {"Bytes": b64(data)}})["Image"]["Bytes"] == data


def test_image_over_5_mb_is_image_too_large() -> None:
    error = error_of("DetectFaces", {"Image": {"Bytes": b64(b"\xff" * (IMAGE_BYTES_LIMIT + 1))}})
    assert isinstance(error, ImageTooLargeException)
    assert error.message == "The input image size exceeds the allowed limit of 5242880 bytes."


def test_image_size_is_checked_before_decoding() -> None:
    # Not even valid base64: only the length was looked at.
    error = error_of("CompareFaces", {"SourceImage": {"Bytes": "!" * (8 * 1024 * 1024)}, "TargetImage": {}})
    assert isinstance(error, ImageTooLargeException)


def test_detect_faces_with_5_mb_image_validates_quickly() -> None:
    operation = service_model().operation_model("DetectFaces")
    params = {"Image": {"Bytes": b64(b"\x5a" * IMAGE_BYTES_LIMIT)}, "Attributes": ["ALL"]}
    validate_input(operation, params)  # warm up
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        validate_input(operation, params)
        best = min(best, time.perf_counter() - start)
    assert best < 0.050


# -- Java regular expressions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"[a-zA-Z0-9_.\-]+", "faces-1.0_x", True),
        (r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "Größe 2", True),
        (r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$", "aws:x", False),
        (r"\P{L}+", "123", True),
        (r"\p{Alpha}+", "abc", True),
        (r"\d+", "١٢", False),  # Java's \d is ASCII only
        (r".+", "a\rb", False),  # Java's . excludes every line terminator
        (r"\Qa.b\E", "axb", False),
        (r"(?<n>[a-z]+)-\k<n>", "ab-ab", True),
        (r"\x{1F600}", "\U0001f600", True),
    ],
)
def test_java_patterns_are_translated(pattern: str, text: str, matches: bool) -> None:
    compiled = compile_java_pattern(pattern)
    assert compiled is not None
    assert (compiled.fullmatch(text) is not None) is matches


@pytest.mark.parametrize("pattern", [r"[a-z&&[^e]]+", r"\p{InGreek}", r"[a-"])
def test_untranslatable_patterns_are_skipped(pattern: str) -> None:
    assert compile_java_pattern(pattern) is None


def test_every_model_pattern_compiles() -> None:
    model = service_model()
    patterns = {
        model.shape_for(name).metadata["pattern"]
        for name in model.shape_names
        if "pattern" in model.shape_for(name).metadata
    }
    assert patterns
    assert [pattern for pattern in sorted(patterns) if compile_java_pattern(pattern) is None] == []
