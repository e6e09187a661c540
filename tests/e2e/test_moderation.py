"""DetectModerationLabels end to end: gateway -> image queue -> image worker -> real moderation models."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import encode

ADAPTER = "arn:aws:rekognition:eu-west-1:000000000000:project/moderation/version/adapter.1/1700000000000"


def test_astronaut_gets_no_moderation_label(rekognition: Any, astronaut_jpeg: bytes) -> None:
    response = rekognition.detect_moderation_labels(Image={"Bytes": astronaut_jpeg})
    assert set(response) == {"ModerationLabels", "ModerationModelVersion", "ResponseMetadata"}
    assert response["ModerationLabels"] == []
    assert response["ModerationModelVersion"] == "7.0"


def test_bus_gets_no_explicit_label_even_at_min_confidence_zero(rekognition: Any) -> None:
    from tests.conftest import ultralytics_asset

    bus = ultralytics_asset("bus.jpg").read_bytes()
    labels = rekognition.detect_moderation_labels(Image={"Bytes": bus}, MinConfidence=0)["ModerationLabels"]
    assert [label for label in labels if "Explicit" in (label["Name"], label["ParentName"])] == []


def test_png_is_accepted(rekognition: Any) -> None:
    import skimage.data

    png = encode(skimage.data.coffee(), "PNG")
    assert rekognition.detect_moderation_labels(Image={"Bytes": png})["ModerationLabels"] == []


def test_human_loop_config_is_accepted_and_no_human_loop_is_started(
    rekognition: Any, astronaut_jpeg: bytes
) -> None:
    response = rekognition.detect_moderation_labels(
        Image={"Bytes": astronaut_jpeg},
        HumanLoopConfig={
            "HumanLoopName": "review-1",
            "FlowDefinitionArn": "arn:aws:sagemaker:eu-west-1:000000000000:flow-definition/review",
        },
    )
    assert "HumanLoopActivationOutput" not in response


def test_a_custom_moderation_adapter_is_refused(rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(rekognition.exceptions.InvalidParameterException) as raised:
        rekognition.detect_moderation_labels(Image={"Bytes": astronaut_jpeg}, ProjectVersion=ADAPTER)
    assert raised.value.response["Error"]["Message"] == "custom moderation adapters are not supported"


def test_min_confidence_over_100_is_a_validation_error(raw_rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(raw_rekognition.exceptions.ClientError) as raised:
        raw_rekognition.detect_moderation_labels(Image={"Bytes": astronaut_jpeg}, MinConfidence=101)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "minConfidence" in raised.value.response["Error"]["Message"]


def test_not_an_image_is_invalid_image_format(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.InvalidImageFormatException):
        rekognition.detect_moderation_labels(Image={"Bytes": b"GIF89a definitely not a jpeg"})
