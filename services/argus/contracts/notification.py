"""The job-completion message Argus publishes to a topic (schema: proto/v1/job_notification.schema.json).

It is the JSON string that Rekognition puts in an SNS notification's ``Message`` field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class VideoRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    S3ObjectName: str
    S3Bucket: str


class JobNotification(BaseModel):
    model_config = ConfigDict(extra="forbid")

    JobId: str = Field(min_length=1, max_length=64)
    Status: Literal["SUCCEEDED", "FAILED", "ERROR"]
    API: str
    JobTag: str | None = None
    Timestamp: int = Field(description="milliseconds since the epoch")
    Video: VideoRef
