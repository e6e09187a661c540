"""Object store in a local folder: ``<root>/<bucket>/<key>``. Used by the embedded mode.

Besides the :class:`~argus.core.storage.base.ObjectStore` methods, it answers what the embedded
S3 endpoint needs: buckets with their creation times, sorted key listings, and per-object
metadata (ETag, Content-Type, user metadata) kept in a JSON sidecar under ``<root>/.meta/`` so
that keys stay plain files. Names starting with ``.`` at the root are never buckets (S3 bucket
names cannot start with a dot).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from argus.core.storage.base import ObjectNotFound, ObjectRef, ObjectTooLarge

META_DIR = ".meta"
_TEMP_PREFIX = ".upload-"
_DEFAULT_CONTENT_TYPE = "application/octet-stream"
_HASH_CHUNK = 1 << 20


class BucketNotEmpty(OSError):
    """The bucket still holds objects."""


@dataclass(frozen=True)
class BucketInfo:
    name: str
    created: datetime


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    last_modified: datetime
    etag: str  # hex MD5 of a single put, "<hex>-<parts>" after a multipart upload; no quotes
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class LocalObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, ref: ObjectRef) -> Path:
        bucket = self.root / ref.bucket
        path = (bucket / ref.name).resolve()
        if not path.is_relative_to(bucket.resolve()):
            raise ObjectNotFound(f"{ref.name!r} escapes bucket {ref.bucket!r}")
        return path

    def get(self, ref: ObjectRef, max_bytes: int | None = None) -> bytes:
        return self._existing(ref, max_bytes).read_bytes()

    def download(self, ref: ObjectRef, destination: Path, max_bytes: int | None = None) -> int:
        source = self._existing(ref, max_bytes)
        shutil.copyfile(source, destination)
        return source.stat().st_size

    def _existing(self, ref: ObjectRef, max_bytes: int | None) -> Path:
        if ref.version is not None:
            raise ObjectNotFound("the local object store keeps no versions")
        path = self._path(ref)
        if not path.is_file():
            raise ObjectNotFound(f"s3://{ref.bucket}/{ref.name} does not exist")
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ObjectTooLarge(size, max_bytes)
        return path

    def put(self, ref: ObjectRef, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(ref)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
        self._write_meta(ref, path, hashlib.md5(data, usedforsecurity=False).hexdigest(), content_type, {})

    def delete(self, ref: ObjectRef) -> None:
        path = self._path(ref)
        path.unlink(missing_ok=True)
        self._meta_path(ref).unlink(missing_ok=True)
        self._prune_empty_dirs(path.parent, (self.root / ref.bucket).resolve())
        self._prune_empty_dirs(self._meta_path(ref).parent, (self.root / META_DIR / ref.bucket).resolve())

    def ensure_bucket(self, bucket: str) -> None:
        (self.root / bucket).mkdir(parents=True, exist_ok=True)

    def ping(self) -> None:
        if not self.root.is_dir():
            raise OSError(f"object store folder {self.root} does not exist")

    # --- what the embedded S3 endpoint needs -------------------------------------------------

    def bucket_exists(self, bucket: str) -> bool:
        return not bucket.startswith(".") and (self.root / bucket).is_dir()

    def create_bucket(self, bucket: str) -> bool:
        """Create the bucket; False when it already existed."""
        try:
            (self.root / bucket).mkdir(parents=True)
        except FileExistsError:
            return False
        return True

    def delete_bucket(self, bucket: str) -> None:
        """Remove an empty bucket; ObjectNotFound or BucketNotEmpty otherwise."""
        if not self.bucket_exists(bucket):
            raise ObjectNotFound(f"bucket {bucket!r} does not exist")
        if next(self.keys(bucket), None) is not None:
            raise BucketNotEmpty(f"bucket {bucket!r} is not empty")
        shutil.rmtree(self.root / bucket)
        shutil.rmtree(self.root / META_DIR / bucket, ignore_errors=True)

    def buckets(self) -> list[BucketInfo]:
        if not self.root.is_dir():
            return []
        found = [
            BucketInfo(entry.name, datetime.fromtimestamp(entry.stat().st_mtime, UTC))
            for entry in self.root.iterdir()
            if entry.is_dir() and not entry.name.startswith(".")
        ]
        return sorted(found, key=lambda bucket: bucket.name)

    def keys(self, bucket: str, prefix: str = "") -> Iterator[str]:
        """Every key in the bucket that starts with ``prefix``, in UTF-8 binary (S3) order."""
        base = self.root / bucket
        found: list[str] = []
        for folder, _dirs, files in os.walk(base):
            relative = Path(folder).relative_to(base).as_posix()
            for name in files:
                if name.startswith(_TEMP_PREFIX):
                    continue
                key = name if relative == "." else f"{relative}/{name}"
                if key.startswith(prefix):
                    found.append(key)
        return iter(sorted(found))

    def stat(self, ref: ObjectRef) -> ObjectInfo:
        """Size, time, ETag, Content-Type and user metadata of an existing object."""
        path = self._existing(ref, None)
        status = path.stat()
        meta = self._read_meta(ref)
        if meta is None or meta.get("size") != status.st_size or meta.get("mtime_ns") != status.st_mtime_ns:
            # written by hand or by someone without a sidecar: measure it
            meta = {"etag": file_md5(path), "content_type": _DEFAULT_CONTENT_TYPE, "metadata": {}}
        raw_metadata = meta.get("metadata")
        metadata = {str(k): str(v) for k, v in raw_metadata.items()} if isinstance(raw_metadata, dict) else {}
        return ObjectInfo(
            key=ref.name,
            size=status.st_size,
            last_modified=datetime.fromtimestamp(status.st_mtime, UTC),
            etag=str(meta["etag"]),
            content_type=str(meta["content_type"]),
            metadata=metadata,
        )

    def path_of(self, ref: ObjectRef) -> Path:
        """The file holding an existing object (for streaming reads); ObjectNotFound otherwise."""
        return self._existing(ref, None)

    def put_file(
        self,
        ref: ObjectRef,
        source: Path,
        *,
        etag: str,
        content_type: str = _DEFAULT_CONTENT_TYPE,
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Move a finished file into place as the object (atomic on one filesystem)."""
        path = self._path(ref)
        if not (self.root / ref.bucket).is_dir():
            raise ObjectNotFound(f"bucket {ref.bucket!r} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, path)
        except OSError:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
            os.close(fd)
            shutil.move(source, tmp)
            os.replace(tmp, path)
        self._write_meta(ref, path, etag, content_type, metadata or {})
        return self.stat(ref)

    def _meta_path(self, ref: ObjectRef) -> Path:
        self._path(ref)  # refuses escapes before anything is derived from the key
        return self.root / META_DIR / ref.bucket / f"{ref.name}.json"

    def _write_meta(
        self, ref: ObjectRef, path: Path, etag: str, content_type: str, metadata: dict[str, str]
    ) -> None:
        status = path.stat()
        meta_path = self._meta_path(ref)
        meta_path.parent.mkdir(parents=True, exist_ok=True)
        body = {
            "etag": etag,
            "content_type": content_type,
            "metadata": metadata,
            "size": status.st_size,
            "mtime_ns": status.st_mtime_ns,
        }
        fd, tmp = tempfile.mkstemp(dir=meta_path.parent, prefix=_TEMP_PREFIX)
        with os.fdopen(fd, "w") as handle:
            json.dump(body, handle)
        os.replace(tmp, meta_path)

    def _read_meta(self, ref: ObjectRef) -> dict[str, object] | None:
        try:
            loaded = json.loads(self._meta_path(ref).read_text())
        except (OSError, ValueError):
            return None
        return loaded if isinstance(loaded, dict) else None

    @staticmethod
    def _prune_empty_dirs(folder: Path, stop: Path) -> None:
        """Remove folders left empty by a delete, up to (not including) ``stop``: S3 has no folders."""
        folder = folder.resolve()
        while folder != stop and folder.is_relative_to(stop):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent
