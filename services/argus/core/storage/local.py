"""Object store in a local folder: ``<root>/<bucket>/<key>``. Used by the embedded mode."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from argus.core.storage.base import ObjectNotFound, ObjectRef, ObjectTooLarge


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
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def delete(self, ref: ObjectRef) -> None:
        self._path(ref).unlink(missing_ok=True)

    def ensure_bucket(self, bucket: str) -> None:
        (self.root / bucket).mkdir(parents=True, exist_ok=True)

    def ping(self) -> None:
        if not self.root.is_dir():
            raise OSError(f"object store folder {self.root} does not exist")
