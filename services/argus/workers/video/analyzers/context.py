"""What an analyzer knows about its job besides the Start* request: the account and region.

The runner passes ``build`` the validated Start* request with one extra member, ``JOB_KEY``,
holding this context (the request itself names no account); analyzers that need neither ignore it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from argus.contracts.image import ImageTask

JOB_KEY = "argus:job"


class JobContext(BaseModel):
    model_config = ConfigDict(frozen=True)

    job_id: str
    account_id: str
    region: str


def job_context(params: Mapping[str, Any]) -> JobContext:
    return JobContext.model_validate(params[JOB_KEY])


def with_context(params: Mapping[str, Any], context: JobContext) -> dict[str, Any]:
    return {**params, JOB_KEY: context.model_dump()}


def image_task(params: Mapping[str, Any], operation: str, members: tuple[str, ...]) -> ImageTask:
    """The image operation a video analyzer runs on each frame, with the request members it shares."""
    context = job_context(params)
    return ImageTask(
        request_id=context.job_id,
        operation=operation,
        account_id=context.account_id,
        region=context.region,
        images={},
        params={member: params[member] for member in members if member in params},
    )
