"""Synchronous image operations: the gateway forwards them to the image workers."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from argus.contracts.image import ImageSource, ImageTask, S3ObjectSource
from argus.core.errors import InvalidParameterException
from argus.gateway.operations.context import RequestContext

IMAGE_MEMBERS = ("Image", "SourceImage", "TargetImage")


def image_source(member: str, image: Mapping[str, Any]) -> ImageSource:
    data: bytes | None = image.get("Bytes")
    s3: Mapping[str, Any] | None = image.get("S3Object")
    if data is not None and s3 is None:
        return ImageSource(bytes_b64=base64.b64encode(data).decode())
    if data is not None or s3 is None:
        raise InvalidParameterException(
            f"Requested image should either contain bytes or s3 object ({member})"
        )
    if not s3.get("Bucket") or not s3.get("Name"):
        raise InvalidParameterException(f"{member}.S3Object needs both Bucket and Name")
    return ImageSource(
        s3_object=S3ObjectSource(bucket=s3["Bucket"], name=s3["Name"], version=s3.get("Version"))
    )


def run_on_image_workers(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    images = {member: image_source(member, params[member]) for member in IMAGE_MEMBERS if member in params}
    rest = {key: value for key, value in params.items() if key not in IMAGE_MEMBERS}
    task = ImageTask(
        request_id=ctx.request_id,
        operation=ctx.operation,
        account_id=ctx.account_id,
        region=ctx.region,
        images=images,
        params=rest,
    )
    return ctx.state.images.run(task)
