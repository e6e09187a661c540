"""What the local object store adds for the embedded S3 endpoint: buckets, listings, metadata."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from argus.core.storage import ObjectNotFound, ObjectRef
from argus.core.storage.local import META_DIR, BucketNotEmpty, LocalObjectStore


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    store = LocalObjectStore(tmp_path / "objects")
    store.create_bucket("media")
    return store


def test_create_bucket_says_whether_it_was_new(store: LocalObjectStore) -> None:
    assert store.create_bucket("fresh") is True
    assert store.create_bucket("fresh") is False
    assert store.bucket_exists("fresh")


def test_buckets_are_the_root_folders_without_hidden_ones(store: LocalObjectStore) -> None:
    store.put(ObjectRef("media", "a"), b"1")  # also writes the hidden metadata folder
    assert (store.root / META_DIR).is_dir()
    assert [bucket.name for bucket in store.buckets()] == ["media"]
    assert not store.bucket_exists(META_DIR)


def test_keys_are_sorted_and_filtered_by_prefix(store: LocalObjectStore) -> None:
    for key in ["b/2", "a", "b/1", "c/d/e"]:
        store.put(ObjectRef("media", key), key.encode())
    assert list(store.keys("media")) == ["a", "b/1", "b/2", "c/d/e"]
    assert list(store.keys("media", "b/")) == ["b/1", "b/2"]


def test_stat_reports_the_md5_etag_and_content_type_of_a_put(store: LocalObjectStore) -> None:
    store.put(ObjectRef("media", "x.jpg"), b"jpeg bytes", content_type="image/jpeg")
    info = store.stat(ObjectRef("media", "x.jpg"))
    assert (info.size, info.etag, info.content_type) == (
        10,
        hashlib.md5(b"jpeg bytes").hexdigest(),
        "image/jpeg",
    )


def test_a_file_placed_by_hand_is_measured(store: LocalObjectStore) -> None:
    (store.root / "media" / "manual.bin").write_bytes(b"copied in")
    info = store.stat(ObjectRef("media", "manual.bin"))
    assert (info.etag, info.content_type) == (
        hashlib.md5(b"copied in").hexdigest(),
        "application/octet-stream",
    )


def test_a_file_replaced_by_hand_is_measured_again(store: LocalObjectStore) -> None:
    store.put(ObjectRef("media", "f"), b"old", content_type="text/plain")
    (store.root / "media" / "f").write_bytes(b"newer")
    assert store.stat(ObjectRef("media", "f")).etag == hashlib.md5(b"newer").hexdigest()


def test_put_file_moves_the_file_in_with_its_metadata(store: LocalObjectStore, tmp_path: Path) -> None:
    source = tmp_path / "incoming"
    source.write_bytes(b"streamed")
    info = store.put_file(
        ObjectRef("media", "v/clip.mp4"), source, etag="abc-2", content_type="video/mp4", metadata={"k": "v"}
    )
    assert not source.exists()
    assert (info.etag, info.content_type, info.metadata) == ("abc-2", "video/mp4", {"k": "v"})
    assert store.get(ObjectRef("media", "v/clip.mp4")) == b"streamed"


def test_put_file_into_a_missing_bucket_is_not_found(store: LocalObjectStore, tmp_path: Path) -> None:
    source = tmp_path / "incoming"
    source.write_bytes(b"x")
    with pytest.raises(ObjectNotFound):
        store.put_file(ObjectRef("nope", "k"), source, etag="e")


def test_delete_removes_the_folders_it_leaves_empty(store: LocalObjectStore) -> None:
    store.put(ObjectRef("media", "a/b/c"), b"1")
    store.put(ObjectRef("media", "a/keep"), b"2")
    store.delete(ObjectRef("media", "a/b/c"))
    assert not (store.root / "media" / "a" / "b").exists()
    assert (store.root / "media" / "a" / "keep").is_file()
    assert list(store.keys("media")) == ["a/keep"]


def test_delete_bucket_refuses_a_bucket_with_objects(store: LocalObjectStore) -> None:
    store.put(ObjectRef("media", "a"), b"1")
    with pytest.raises(BucketNotEmpty):
        store.delete_bucket("media")
    store.delete(ObjectRef("media", "a"))
    store.delete_bucket("media")
    assert not store.bucket_exists("media")
    with pytest.raises(ObjectNotFound):
        store.delete_bucket("media")


@pytest.mark.parametrize("key", ["../outside", "a/../../outside", "/etc/passwd", "../../etc/passwd"])
def test_keys_that_escape_the_bucket_folder_are_refused(store: LocalObjectStore, key: str) -> None:
    with pytest.raises(ObjectNotFound, match="escapes bucket"):
        store.put(ObjectRef("media", key), b"x")
    with pytest.raises(ObjectNotFound):
        store.stat(ObjectRef("media", key))
    assert not (store.root / "outside").exists()
