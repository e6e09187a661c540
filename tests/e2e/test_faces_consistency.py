"""Face collections stay consistent under concurrent writers and a worker killed mid-write
(cluster mode: PostgreSQL, Redis, moto S3 and real worker processes)."""

from __future__ import annotations

import os
import signal
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from tests.e2e.conftest import client_for
from tests.e2e.servers import Server, argus, start


def index_many(client: Any, collection: str, image: bytes, count: int, prefix: str) -> list[Any]:
    def one(number: int) -> Any:
        try:
            return client.index_faces(
                CollectionId=collection, Image={"Bytes": image}, ExternalImageId=f"{prefix}-{number}"
            )
        except ClientError as error:
            return error

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def assert_collection_consistent(client: Any, collection: str) -> list[str]:
    """Every listed face is counted once, and every one of them is found by search."""
    listed = [
        face
        for page in client.get_paginator("list_faces").paginate(CollectionId=collection)
        for face in page["Faces"]
    ]
    ids = [face["FaceId"] for face in listed]
    assert len(ids) == len(set(ids))
    assert client.describe_collection(CollectionId=collection)["FaceCount"] == len(ids)
    for face_id in ids:
        found = client.search_faces(
            CollectionId=collection, FaceId=face_id, MaxFaces=4096, FaceMatchThreshold=90
        )
        assert {match["Face"]["FaceId"] for match in found["FaceMatches"]} == set(ids) - {face_id}
    return ids


def test_concurrent_index_and_delete_leave_a_consistent_collection(
    cluster: Server, astronaut_jpeg: bytes
) -> None:
    client = client_for(cluster)
    collection = f"concurrent-{uuid.uuid4().hex[:8]}"
    client.create_collection(CollectionId=collection)
    results = index_many(client, collection, astronaut_jpeg, 16, "x")
    indexed = [r["FaceRecords"][0]["Face"]["FaceId"] for r in results if not isinstance(r, ClientError)]
    assert len(indexed) == 16
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda face_id: client.delete_faces(CollectionId=collection, FaceIds=[face_id]), indexed[:6]
            )
        )
    assert sorted(assert_collection_consistent(client, collection)) == sorted(indexed[6:])


def test_a_worker_killed_mid_write_loses_nothing_that_was_acknowledged(
    cluster: Server, astronaut_jpeg: bytes, tmp_path: Any
) -> None:
    client = client_for(cluster)
    collection = f"killed-{uuid.uuid4().hex[:8]}"
    client.create_collection(CollectionId=collection)
    worker = cluster.processes["worker-image"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(index_many, client, collection, astronaut_jpeg, 24, "k")
        time.sleep(1.5)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        replacement = start(
            "worker-image",
            argus("worker", "--queues", "image"),
            {**cluster.env, "ARGUS_WORKER_HEARTBEAT": str(tmp_path / "hb")},
            tmp_path,
        )
        cluster.processes["worker-image"] = replacement
        results = pending.result()
    acknowledged = {r["FaceRecords"][0]["Face"]["FaceId"] for r in results if not isinstance(r, ClientError)}
    assert acknowledged, "some calls must have succeeded before the kill"
    ids = set(assert_collection_consistent(client, collection))
    assert acknowledged <= ids
