"""What the gateway and workers send each other conforms to the versioned schemas in proto/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from argus.contracts.image import ImageResult, ImageSource, ImageTask, S3ObjectSource, TaskError
from argus.contracts.notification import JobNotification, VideoRef

PROTO = Path(__file__).resolve().parents[2] / "proto" / "v1"


def schema(name: str) -> dict[str, Any]:
    return json.loads((PROTO / f"{name}.schema.json").read_text())  # type: ignore[no-any-return]


def validate(name: str, message: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema(name)).validate(message)


def image_task(**images: ImageSource) -> ImageTask:
    return ImageTask(
        request_id="r-1",
        operation="DetectFaces",
        account_id="123456789012",
        region="eu-west-1",
        images=images,
        params={"Attributes": ["ALL"]},
    )


def test_schemas_are_valid_json_schema() -> None:
    for path in PROTO.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text()))


def test_image_task_with_bytes_conforms() -> None:
    validate("image_task", image_task(Image=ImageSource(bytes_b64="/9j/")).model_dump(mode="json"))


def test_image_task_with_s3_object_conforms() -> None:
    source = ImageSource(s3_object=S3ObjectSource(bucket="b", name="k.jpg", version="3"))
    validate("image_task", image_task(SourceImage=source, TargetImage=source).model_dump(mode="json"))


def test_image_source_with_both_kinds_is_rejected_by_schema_and_model() -> None:
    message = image_task(Image=ImageSource(bytes_b64="/9j/")).model_dump(mode="json")
    message["images"]["Image"]["s3_object"] = {"bucket": "b", "name": "k"}
    with pytest.raises(jsonschema.ValidationError):
        validate("image_task", message)
    with pytest.raises(ValidationError):
        ImageTask.model_validate(message)


def test_successful_and_failed_results_conform() -> None:
    validate("image_result", ImageResult(ok=True, body={"FaceDetails": []}).model_dump(mode="json"))
    failed = ImageResult(ok=False, error=TaskError(code="InvalidImageFormatException", message="bad"))
    validate("image_result", failed.model_dump(mode="json"))


def test_result_with_body_and_error_is_rejected_by_schema_and_model() -> None:
    message = {"version": 1, "ok": True, "body": {}, "error": {"code": "X", "message": "y"}}
    with pytest.raises(jsonschema.ValidationError):
        validate("image_result", message)
    with pytest.raises(ValidationError):
        ImageResult.model_validate(message)


def test_job_notification_conforms() -> None:
    note = JobNotification(
        JobId="job-1",
        Status="SUCCEEDED",
        API="StartLabelDetection",
        JobTag="t",
        Timestamp=1764000000000,
        Video=VideoRef(S3ObjectName="v.mp4", S3Bucket="b"),
    )
    validate("job_notification", note.model_dump(mode="json"))


def test_schema_messages_parse_into_the_models() -> None:
    message = {
        "version": 1,
        "request_id": "r",
        "operation": "DetectFaces",
        "account_id": "123456789012",
        "region": "us-east-1",
        "images": {"Image": {"s3_object": {"bucket": "b", "name": "n"}}},
    }
    validate("image_task", message)
    assert ImageTask.model_validate(message).images["Image"].s3_object == S3ObjectSource(bucket="b", name="n")
