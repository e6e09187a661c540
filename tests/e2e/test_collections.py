"""Collections through a real boto3 client, in the embedded and the cluster mode."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import REGION
from tests.e2e.servers import Server


def unique(prefix: str = "c") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def account_of(server: Server) -> str:
    return server.env.get("ARGUS_ACCOUNT_ID", "000000000000")


def test_create_collection_returns_arn_status_and_model_version(rekognition: Any, server: Server) -> None:
    name = unique()
    response = rekognition.create_collection(CollectionId=name)
    assert response["StatusCode"] == 200
    assert response["CollectionArn"] == f"arn:aws:rekognition:{REGION}:{account_of(server)}:collection/{name}"
    assert response["FaceModelVersion"] == "1.0"


def test_create_existing_collection_is_refused(rekognition: Any) -> None:
    name = unique()
    rekognition.create_collection(CollectionId=name)
    with pytest.raises(rekognition.exceptions.ResourceAlreadyExistsException) as raised:
        rekognition.create_collection(CollectionId=name)
    assert raised.value.response["Error"]["Message"] == f"The collection id: {name} already exists"


def test_collection_ids_are_case_sensitive(rekognition: Any) -> None:
    name = unique("Case")
    rekognition.create_collection(CollectionId=name)
    rekognition.create_collection(CollectionId=name.lower())
    assert rekognition.describe_collection(CollectionId=name.lower())["FaceCount"] == 0


def test_describe_collection_reports_count_version_arn_and_creation_time(
    rekognition: Any, server: Server
) -> None:
    name = unique()
    before = datetime.now(UTC)
    rekognition.create_collection(CollectionId=name)
    described = rekognition.describe_collection(CollectionId=name)
    assert described["FaceCount"] == 0
    assert described["FaceModelVersion"] == "1.0"
    assert (
        described["CollectionARN"] == f"arn:aws:rekognition:{REGION}:{account_of(server)}:collection/{name}"
    )
    created = described["CreationTimestamp"]
    assert created.tzinfo is not None
    assert before - timedelta(seconds=2) <= created <= datetime.now(UTC) + timedelta(seconds=2)


def test_describe_missing_collection_is_not_found(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.ResourceNotFoundException):
        rekognition.describe_collection(CollectionId=unique("missing"))


def test_list_collections_paginator_walks_every_page(rekognition: Any) -> None:
    names = sorted(unique("page") for _ in range(5))
    for name in names:
        rekognition.create_collection(CollectionId=name)
    pages = list(rekognition.get_paginator("list_collections").paginate(PaginationConfig={"PageSize": 2}))
    listed = [name for page in pages for name in page["CollectionIds"]]
    assert all(len(page["CollectionIds"]) == 2 for page in pages[:-1])
    assert 1 <= len(pages[-1]["CollectionIds"]) <= 2
    assert listed == sorted(listed)
    assert len(listed) == len(set(listed))
    assert set(names) <= set(listed)
    assert all(len(page["FaceModelVersions"]) == len(page["CollectionIds"]) for page in pages)


def test_list_collections_rejects_a_forged_token(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.InvalidPaginationTokenException):
        rekognition.list_collections(NextToken="not-a-token")


def test_delete_collection_removes_it(rekognition: Any) -> None:
    name = unique()
    rekognition.create_collection(CollectionId=name)
    assert rekognition.delete_collection(CollectionId=name)["StatusCode"] == 200
    with pytest.raises(rekognition.exceptions.ResourceNotFoundException):
        rekognition.describe_collection(CollectionId=name)
    assert name not in rekognition.list_collections(MaxResults=4096)["CollectionIds"]


def test_delete_missing_collection_is_not_found(rekognition: Any) -> None:
    with pytest.raises(rekognition.exceptions.ResourceNotFoundException):
        rekognition.delete_collection(CollectionId=unique("missing"))
