"""Helpers for the stored-video e2e tests: place a video where a server reads S3Objects, and wait
for a job the way a boto3 user would (polling Get*)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import boto3
import pytest

from tests.e2e.servers import Server


def s3_client(server: Server) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=server.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def place_video(server: Server, request: pytest.FixtureRequest, name: str, data: bytes) -> dict[str, Any]:
    """Upload ``data`` (moto S3 in cluster mode, the embedded object folder otherwise) and return
    the Start* ``Video`` member naming it."""
    bucket = f"videos-{uuid.uuid4().hex[:8]}"
    if server.mode == "cluster":
        s3 = s3_client(server)
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key=name, Body=data)
    else:
        assert server.data_dir is not None
        path = server.data_dir / "objects" / bucket / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {"S3Object": {"Bucket": bucket, "Name": name}}


def wait_job(get: Any, job_id: str, timeout: float = 240.0, **params: Any) -> dict[str, Any]:
    """Poll ``get`` (e.g. client.get_label_detection) until the job leaves IN_PROGRESS."""
    deadline = time.monotonic() + timeout
    while True:
        response: dict[str, Any] = get(JobId=job_id, **params)
        if response["JobStatus"] != "IN_PROGRESS":
            return response
        if time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} still IN_PROGRESS after {timeout}s: {response}")
        time.sleep(0.5)


def all_pages(get: Any, job_id: str, list_key: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = get(JobId=job_id, **params, **({"NextToken": token} if token else {}))
        items.extend(page[list_key])
        token = page.get("NextToken")
        if not token:
            return items
