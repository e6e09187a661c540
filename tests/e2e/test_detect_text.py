"""DetectText end to end: gateway -> image queue -> image worker -> EasyOCR, through boto3."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.conftest import encode
from tests.e2e.servers import Server
from tests.vision.text.render import Page, gradient, render

SIGN = [(40, 60, "Platform 9 closed"), (40, 200, "Use the north entrance")]


@pytest.fixture(scope="module")
def sign() -> Page:
    return render(SIGN, size=[40, 32])


@pytest.fixture(scope="module")
def sign_png(sign: Page) -> bytes:
    return encode(sign.pixels, "PNG")


def of_type(detections: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [item for item in detections if item["Type"] == kind]


def test_lines_then_words_with_parents_ids_and_model_version(rekognition: Any, sign_png: bytes) -> None:
    response = rekognition.detect_text(Image={"Bytes": sign_png})
    assert set(response) == {"TextDetections", "TextModelVersion", "ResponseMetadata"}
    assert response["TextModelVersion"] == "easyocr-1.7.2-en-g2"
    detections = response["TextDetections"]
    assert [(item["Type"], item["DetectedText"]) for item in detections] == [
        ("LINE", "Platform 9 closed"),
        ("LINE", "Use the north entrance"),
        *[("WORD", word) for word in ["Platform", "9", "closed", "Use", "the", "north", "entrance"]],
    ]
    assert [item["Id"] for item in detections] == list(range(9))
    assert [item.get("ParentId") for item in detections] == [None, None, 0, 0, 0, 1, 1, 1, 1]


def test_word_geometry_is_where_the_words_were_drawn(rekognition: Any, sign: Page, sign_png: bytes) -> None:
    words = of_type(rekognition.detect_text(Image={"Bytes": sign_png})["TextDetections"], "WORD")
    drawn = [word for line in sign.lines for word in line]
    for item, word in zip(words, drawn, strict=True):
        box = item["Geometry"]["BoundingBox"]
        left, top, right, bottom = sign.ratio_box(word)
        assert (box["Left"], box["Top"]) == pytest.approx((left, top), abs=0.02)
        assert (box["Left"] + box["Width"], box["Top"] + box["Height"]) == pytest.approx(
            (right, bottom), abs=0.02
        )
        assert len(item["Geometry"]["Polygon"]) == 4
        assert 0 <= item["Confidence"] <= 100


def test_word_filter_min_bounding_box_height_drops_the_smaller_line(
    rekognition: Any, sign_png: bytes
) -> None:
    # The first line is 40 px type (about 30 px of ink, 0.062 of 480), the second 32 px (0.05 at most).
    detections = rekognition.detect_text(
        Image={"Bytes": sign_png}, Filters={"WordFilter": {"MinBoundingBoxHeight": 0.055}}
    )["TextDetections"]
    assert [item["DetectedText"] for item in of_type(detections, "LINE")] == ["Platform 9 closed"]


def test_word_filter_min_confidence_drops_exactly_the_less_confident_words(
    rekognition: Any, sign_png: bytes
) -> None:
    everything = of_type(rekognition.detect_text(Image={"Bytes": sign_png})["TextDetections"], "WORD")
    ranked = sorted(everything, key=lambda item: item["Confidence"])
    threshold = (ranked[1]["Confidence"] + ranked[2]["Confidence"]) / 2
    assert ranked[1]["Confidence"] < threshold < ranked[2]["Confidence"]
    kept = rekognition.detect_text(
        Image={"Bytes": sign_png}, Filters={"WordFilter": {"MinConfidence": threshold}}
    )
    assert sorted(item["DetectedText"] for item in of_type(kept["TextDetections"], "WORD")) == sorted(
        item["DetectedText"] for item in ranked[2:]
    )


def test_region_of_interest_keeps_the_words_inside_it(rekognition: Any, sign_png: bytes) -> None:
    lower_half = {"BoundingBox": {"Left": 0.0, "Top": 0.35, "Width": 1.0, "Height": 0.65}}
    detections = rekognition.detect_text(
        Image={"Bytes": sign_png}, Filters={"RegionsOfInterest": [lower_half]}
    )["TextDetections"]
    assert [item["DetectedText"] for item in detections] == [
        "Use the north entrance",
        "Use",
        "the",
        "north",
        "entrance",
    ]


def test_picture_without_text_has_no_detections(rekognition: Any, coffee_jpeg: bytes) -> None:
    assert rekognition.detect_text(Image={"Bytes": coffee_jpeg})["TextDetections"] == []
    assert rekognition.detect_text(Image={"Bytes": encode(gradient(), "PNG")})["TextDetections"] == []


def test_region_without_box_or_polygon_is_invalid_parameter(rekognition: Any, sign_png: bytes) -> None:
    with pytest.raises(rekognition.exceptions.InvalidParameterException):
        rekognition.detect_text(Image={"Bytes": sign_png}, Filters={"RegionsOfInterest": [{}]})


def test_s3_object_image_is_read_by_the_worker(cluster: Server, s3: Any, sign_png: bytes) -> None:
    from tests.e2e.conftest import client_for

    bucket = f"signs-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="station/sign.png", Body=sign_png)
    detections = client_for(cluster).detect_text(
        Image={"S3Object": {"Bucket": bucket, "Name": "station/sign.png"}}
    )
    assert [item["DetectedText"] for item in of_type(detections["TextDetections"], "LINE")] == [
        "Platform 9 closed",
        "Use the north entrance",
    ]
