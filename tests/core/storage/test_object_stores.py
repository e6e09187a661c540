"""Both object stores behave the same: the local folder and S3 (moto server on loopback)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from argus.core.storage import ObjectNotFound, ObjectRef, ObjectStore, ObjectTooLarge
from argus.core.storage.local import LocalObjectStore
from argus.core.storage.s3 import S3ObjectStore
from tests.e2e.servers import free_port


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(endpoint, timeout=2)
            break
        except httpx.HTTPError:
            assert time.monotonic() < deadline, "moto server did not start"
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(10)


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path)
    return S3ObjectStore(request.getfixturevalue("moto_endpoint"), "testing", "testing", "us-east-1")


def test_put_then_get_returns_the_bytes(store: ObjectStore) -> None:
    store.ensure_bucket("argus")
    store.put(ObjectRef("argus", "a/b/c.bin"), b"\x00payload\xff")
    assert store.get(ObjectRef("argus", "a/b/c.bin")) == b"\x00payload\xff"


def test_missing_object_is_not_found(store: ObjectStore) -> None:
    store.ensure_bucket("argus")
    with pytest.raises(ObjectNotFound):
        store.get(ObjectRef("argus", "nothing-here"))


def test_missing_bucket_is_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        store.get(ObjectRef("no-such-bucket-at-all", "x"))


def test_object_over_the_limit_is_refused(store: ObjectStore) -> None:
    store.ensure_bucket("argus")
    store.put(ObjectRef("argus", "big"), b"x" * 2048)
    with pytest.raises(ObjectTooLarge):
        store.get(ObjectRef("argus", "big"), max_bytes=1024)


def test_deleted_object_is_gone(store: ObjectStore) -> None:
    store.ensure_bucket("argus")
    store.put(ObjectRef("argus", "gone"), b"1")
    store.delete(ObjectRef("argus", "gone"))
    with pytest.raises(ObjectNotFound):
        store.get(ObjectRef("argus", "gone"))


def test_local_store_refuses_keys_escaping_the_bucket(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    with pytest.raises(ObjectNotFound):
        store.get(ObjectRef("argus", "../../etc/passwd"))
