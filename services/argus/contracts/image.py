"""Messages between the gateway and the image workers (schema: proto/v1/image_task.schema.json).

A task names the Rekognition operation, carries each input image by value (base64) or by
reference (an S3 object the worker fetches itself), and the validated request parameters.
The result is either the operation's response body or an AWS error code and message.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CONTRACT_VERSION = 1  # the "version" member of every message below


class S3ObjectSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bucket: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: str | None = None


class ImageSource(BaseModel):
    """Exactly one of inline bytes (base64) or an S3 object."""

    model_config = ConfigDict(extra="forbid")

    bytes_b64: str | None = None
    s3_object: S3ObjectSource | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ImageSource:
        if (self.bytes_b64 is None) == (self.s3_object is None):
            raise ValueError("an image source has exactly one of bytes_b64 and s3_object")
        return self


class ImageTask(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    request_id: str
    operation: str
    account_id: str
    region: str
    images: dict[str, ImageSource]
    params: dict[str, Any] = Field(default_factory=dict)


class TaskError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str


class ImageResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    ok: bool
    body: dict[str, Any] | None = None
    error: TaskError | None = None

    @model_validator(mode="after")
    def _body_or_error(self) -> ImageResult:
        if self.ok != (self.body is not None) or self.ok == (self.error is not None):
            raise ValueError("a successful result has a body and no error; a failed one an error and no body")
        return self
