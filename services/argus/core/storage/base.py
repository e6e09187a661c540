"""The object-store interface every backend implements (S3/MinIO in a cluster, a folder when embedded)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class ObjectNotFound(LookupError):
    """The bucket, the object or the requested version does not exist."""


class ObjectTooLarge(ValueError):
    """The object is larger than the caller allows; nothing was downloaded past the limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"object is {size} bytes, more than the {limit} allowed")
        self.size = size
        self.limit = limit


@dataclass(frozen=True)
class ObjectRef:
    bucket: str
    name: str
    version: str | None = None


class ObjectStore(Protocol):
    def get(self, ref: ObjectRef, max_bytes: int | None = None) -> bytes:
        """The object's bytes; ObjectNotFound or ObjectTooLarge (checked before downloading)."""
        ...

    def download(self, ref: ObjectRef, destination: Path, max_bytes: int | None = None) -> int:
        """Stream the object into ``destination`` (never whole in memory); returns its size.
        ObjectNotFound or ObjectTooLarge (checked before downloading)."""
        ...

    def put(self, ref: ObjectRef, data: bytes, content_type: str = "application/octet-stream") -> None: ...

    def delete(self, ref: ObjectRef) -> None: ...

    def ensure_bucket(self, bucket: str) -> None: ...

    def ping(self) -> None:
        """Raise when the store cannot be reached."""
        ...
