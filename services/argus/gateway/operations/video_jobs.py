"""Stored-video jobs: Start* and Get* for the eight job kinds (issue #5), from one table.

Start* checks what AWS checks up front (the S3 object exists and is within the size limit, the
notification topic exists, the collection exists, the text filters are valid), records the job
(ClientRequestToken makes it idempotent) and puts it on the ``video`` queue. Jobs beyond the
video workers' concurrency wait in the queue: Argus never answers LimitExceededException.

Get* reads the job row and one keyset page of its results (see :mod:`argus.jobs.repository`):
the TIMESTAMPS view by default, the SEGMENTS view the worker aggregated for label and moderation
jobs with ``AggregateBy: SEGMENTS`` (:mod:`argus.jobs.aggregation`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from argus.core.db.faces import find_collection
from argus.core.db.models.video import VideoJob
from argus.core.errors import (
    InvalidPaginationTokenException,
    InvalidParameterException,
    InvalidS3ObjectException,
)
from argus.core.storage import ObjectNotFound, ObjectRef, ObjectTooLarge
from argus.gateway.operations.context import Handler, RequestContext
from argus.gateway.operations.pagination import decode_token, encode_token
from argus.jobs.enqueue import enqueue_job
from argus.jobs.kinds import KINDS, JobKind
from argus.jobs.repository import SUCCEEDED, JobRepository, NewJob, View
from argus.notifications import outbox
from argus.video import metadata
from argus.video.limits import check_size
from argus.vision.text.detections import TextFilters

DEFAULT_PAGE = 1000
S3_UNREADABLE = "Unable to get object metadata from S3. Check object key, region and/or access permissions."

Check = Callable[[RequestContext, Mapping[str, Any]], None]


def check_collection(ctx: RequestContext, params: Mapping[str, Any]) -> None:
    with ctx.state.db.session() as session:
        find_collection(session, ctx.account_id, params["CollectionId"])


def check_text_filters(ctx: RequestContext, params: Mapping[str, Any]) -> None:
    TextFilters.parse(params.get("Filters"))


def check_segment_types(ctx: RequestContext, params: Mapping[str, Any]) -> None:
    if not params.get("SegmentTypes"):
        raise InvalidParameterException("SegmentTypes must name at least one of TECHNICAL_CUE and SHOT")


CHECKS: dict[str, Check] = {
    "FaceSearch": check_collection,
    "TextDetection": check_text_filters,
    "SegmentDetection": check_segment_types,
}
"""What each kind's Start* verifies besides the video and the notification channel."""


def check_video(ctx: RequestContext, params: Mapping[str, Any]) -> None:
    """The S3 object exists and is within the size limit (fetching at most zero bytes of it)."""
    s3 = params["Video"].get("S3Object") or {}
    if not s3.get("Bucket") or not s3.get("Name"):
        raise InvalidParameterException("Video.S3Object needs both Bucket and Name")
    try:
        ctx.state.store.get(ObjectRef(s3["Bucket"], s3["Name"], s3.get("Version")), max_bytes=0)
    except ObjectTooLarge as sized:
        check_size(sized.size, ctx.state.settings.video)
    except ObjectNotFound as missing:
        raise InvalidS3ObjectException(S3_UNREADABLE) from missing
    except Exception as error:  # access denied, unreachable endpoint ...
        raise InvalidS3ObjectException(f"{S3_UNREADABLE} ({type(error).__name__})") from error


def check_channel(ctx: RequestContext, params: Mapping[str, Any]) -> None:
    channel = params.get("NotificationChannel")
    if not channel:
        return
    with ctx.state.db.session() as session:
        if not outbox.topic_exists(session, channel["SNSTopicArn"]):
            raise InvalidParameterException(f"SNS topic {channel['SNSTopicArn']} does not exist")


def start_handler(kind: JobKind) -> Handler:
    def start(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
        check_video(ctx, params)
        check_channel(ctx, params)
        if kind.name in CHECKS:
            CHECKS[kind.name](ctx, params)
        repository = JobRepository(ctx.state.db)
        created = repository.create(NewJob(ctx.account_id, ctx.region, kind.name, params))
        if created.new:
            enqueue_job(ctx.state.celery, created.job_id)
        return {"JobId": created.job_id}

    return start


def _page_token(kind: JobKind, job_id: str, order: str, after: list[Any]) -> str:
    return encode_token(kind.get_operation, json.dumps([job_id, order, after]))


def _page_start(kind: JobKind, job_id: str, order: str, token: str | None) -> list[Any] | None:
    """Where the page starts; ``order`` (SortBy and AggregateBy) must be the token's own."""
    raw = decode_token(kind.get_operation, token)
    if raw is None:
        return None
    try:
        token_job, token_order, after = json.loads(raw)
    except (ValueError, TypeError):
        token_job, token_order, after = None, None, None
    if token_job != job_id or token_order != order or not isinstance(after, list):
        raise InvalidPaginationTokenException("Invalid pagination token provided")
    return after


def _view(kind: JobKind, aggregate_by: str) -> View:
    if aggregate_by == "SEGMENTS" and kind.aggregate_member is not None:
        return View.SEGMENTS
    if aggregate_by == "TIMESTAMPS":
        return View.TIMESTAMPS
    raise InvalidParameterException(f"AggregateBy {aggregate_by} is not supported by {kind.get_operation}")


def _video(job: VideoJob) -> dict[str, Any]:
    s3: dict[str, Any] = {"Bucket": job.s3_bucket, "Name": job.s3_name}
    if job.s3_version:
        s3["Version"] = job.s3_version
    return {"S3Object": s3}


def _segment_types(job: VideoJob) -> list[dict[str, str]]:
    segments = importlib.import_module("argus.workers.video.analyzers.segments")
    versions: Mapping[str, str] = segments.MODEL_VERSIONS
    return [{"Type": t, "ModelVersion": versions[t]} for t in job.params.get("SegmentTypes", [])]


def get_handler(kind: JobKind) -> Handler:
    def get(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
        repository = JobRepository(ctx.state.db)
        job = repository.get(params["JobId"], ctx.account_id, kind.name)
        sort_by = params.get("SortBy") or kind.default_sort
        aggregate_by = params.get("AggregateBy") or "TIMESTAMPS"
        view = _view(kind, aggregate_by)
        order = sort_by if view is View.TIMESTAMPS else f"{sort_by}/{aggregate_by}"
        limit = params.get("MaxResults") or DEFAULT_PAGE
        response: dict[str, Any] = {"JobStatus": job.status, "JobId": job.job_id, "Video": _video(job)}
        if job.status_message:
            response["StatusMessage"] = job.status_message
        if job.job_tag:
            response["JobTag"] = job.job_tag
        if job.video_metadata:
            info = metadata.from_json(job.video_metadata)
            if kind.segments:
                response["VideoMetadata"] = [metadata.video_metadata(info)]
                response["AudioMetadata"] = metadata.audio_metadata(info)
            else:
                response["VideoMetadata"] = metadata.video_metadata(info)
        if kind.segments:
            response["SelectedSegmentTypes"] = _segment_types(job)
        if kind.model_version and job.response_fields and kind.model_version in job.response_fields:
            response[kind.model_version] = job.response_fields[kind.model_version]
        if kind.request_metadata:
            response["GetRequestMetadata"] = {"SortBy": sort_by, "AggregateBy": aggregate_by}
        items: list[dict[str, Any]] = []
        if job.status == SUCCEEDED:
            after = _page_start(kind, job.job_id, order, params.get("NextToken"))
            items, last = repository.page(job.job_id, limit, sort_by != "TIMESTAMP", after, view)
            if last is not None:
                response["NextToken"] = _page_token(kind, job.job_id, order, last)
        response[kind.list_key] = items
        return response

    return get


HANDLERS: dict[str, Handler] = {
    operation: handler
    for kind in KINDS.values()
    for operation, handler in (
        (kind.start_operation, start_handler(kind)),
        (kind.get_operation, get_handler(kind)),
    )
}
