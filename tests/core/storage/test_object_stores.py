"""Both object stores behave the same: the local folder and S3 (moto server on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from argus.core.storage import ObjectNotFound, ObjectRef, ObjectStore, ObjectTooLarge
from argus.core.storage.local import LocalObjectStore
from argus.core.storage.s3 import S3ObjectStore
from tests.e2e.servers import moto_s3


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with moto_s3(tmp_path_factory.mktemp("moto")) as endpoint:
        yield endpoint


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


def test_download_streams_the_object_into_a_file(store: ObjectStore, tmp_path: Path) -> None:
    store.ensure_bucket("argus")
    payload = bytes(range(256)) * 40_000  # 10 MB: more than one 8 MB chunk
    store.put(ObjectRef("argus", "videos/clip.mp4"), payload)
    destination = tmp_path / "downloaded"
    assert store.download(ObjectRef("argus", "videos/clip.mp4"), destination) == len(payload)
    assert destination.read_bytes() == payload


def test_download_refuses_an_object_over_the_limit_before_writing(store: ObjectStore, tmp_path: Path) -> None:
    store.ensure_bucket("argus")
    store.put(ObjectRef("argus", "big"), b"x" * 2048)
    destination = tmp_path / "downloaded"
    with pytest.raises(ObjectTooLarge):
        store.download(ObjectRef("argus", "big"), destination, max_bytes=1024)
    assert not destination.exists()


def test_download_of_a_missing_object_is_not_found(store: ObjectStore, tmp_path: Path) -> None:
    store.ensure_bucket("argus")
    with pytest.raises(ObjectNotFound):
        store.download(ObjectRef("argus", "nothing-here"), tmp_path / "downloaded")
