"""Multipart uploads: parts kept under a hidden folder of the data dir, assembled by streaming.

``<folder>/<upload id>/upload.json`` records the bucket, key, Content-Type and user metadata;
each part is ``<n>.part`` with its MD5 in ``<n>.json``. Completing concatenates the listed parts
into one file (chunk by chunk) whose ETag is S3's multipart form: the MD5 of the parts' binary
MD5s, ``-`` and the part count.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from argus.gateway.s3.errors import (
    EntityTooSmall,
    InvalidArgument,
    InvalidPart,
    InvalidPartOrder,
    NoSuchUpload,
)
from argus.gateway.s3.xml import CompletedPart

MIN_PART_BYTES = 5 * 1024 * 1024  # every part but the last (S3's limit)
MAX_PART_NUMBER = 10_000
_COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Upload:
    upload_id: str
    bucket: str
    key: str
    content_type: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class Assembled:
    path: Path
    etag: str


class MultipartUploads:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def create(self, bucket: str, key: str, content_type: str, metadata: dict[str, str]) -> Upload:
        upload = Upload(secrets.token_urlsafe(24), bucket, key, content_type, metadata)
        target = self.folder / upload.upload_id
        target.mkdir(parents=True)
        (target / "upload.json").write_text(
            json.dumps({"bucket": bucket, "key": key, "content_type": content_type, "metadata": metadata})
        )
        return upload

    def get(self, upload_id: str, bucket: str, key: str) -> Upload:
        folder = self._folder(upload_id)
        try:
            record = json.loads((folder / "upload.json").read_text())
        except (OSError, ValueError):
            record = None
        if not isinstance(record, dict) or record.get("bucket") != bucket or record.get("key") != key:
            raise NoSuchUpload(
                "The specified upload does not exist. The upload ID may be invalid, or the upload may have "
                "been aborted or completed.",
                UploadId=upload_id,
            )
        return Upload(upload_id, bucket, key, str(record["content_type"]), dict(record["metadata"]))

    def add_part(self, upload: Upload, number: int, source: Path, md5: str) -> None:
        """Move a received part file into the upload (replacing an earlier part with that number)."""
        if not 1 <= number <= MAX_PART_NUMBER:
            raise InvalidArgument(
                f"Part number must be an integer between 1 and {MAX_PART_NUMBER}, inclusive",
                ArgumentName="partNumber",
                ArgumentValue=str(number),
            )
        folder = self._folder(upload.upload_id)
        os.replace(source, folder / f"{number}.part")
        (folder / f"{number}.json").write_text(json.dumps({"etag": md5}))

    def assemble(self, upload: Upload, parts: list[CompletedPart], scratch: Path) -> Assembled:
        """Concatenate the listed parts into a new file under ``scratch``; check them as S3 does."""
        numbers = [part.number for part in parts]
        if numbers != sorted(set(numbers)):
            raise InvalidPartOrder(
                "The list of parts was not in ascending order. Parts must be ordered by part number."
            )
        folder = self._folder(upload.upload_id)
        files: list[Path] = []
        digests = hashlib.md5(usedforsecurity=False)
        for index, part in enumerate(parts):
            stored = self._part_etag(folder, part.number)
            if stored is None or stored != part.etag:
                raise InvalidPart(
                    "One or more of the specified parts could not be found. The part may not have been "
                    "uploaded, or the specified entity tag may not match the part's entity tag.",
                    UploadId=upload.upload_id,
                    PartNumber=str(part.number),
                    ETag=part.etag,
                )
            path = folder / f"{part.number}.part"
            if index < len(parts) - 1 and path.stat().st_size < MIN_PART_BYTES:
                raise EntityTooSmall(
                    "Your proposed upload is smaller than the minimum allowed object size.",
                    ProposedSize=str(path.stat().st_size),
                    MinSizeAllowed=str(MIN_PART_BYTES),
                    PartNumber=str(part.number),
                    ETag=part.etag,
                )
            digests.update(bytes.fromhex(stored))
            files.append(path)
        scratch.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=scratch, prefix="assembled-")
        with os.fdopen(fd, "wb") as out:
            for path in files:
                with path.open("rb") as handle:
                    shutil.copyfileobj(handle, out, _COPY_CHUNK)
        return Assembled(Path(name), f"{digests.hexdigest()}-{len(parts)}")

    def discard(self, upload_id: str) -> None:
        shutil.rmtree(self._folder(upload_id), ignore_errors=True)

    def _folder(self, upload_id: str) -> Path:
        if not upload_id or "/" in upload_id or upload_id.startswith(".") or "\\" in upload_id:
            raise NoSuchUpload("The specified upload does not exist.", UploadId=upload_id)
        return self.folder / upload_id

    @staticmethod
    def _part_etag(folder: Path, number: int) -> str | None:
        try:
            record = json.loads((folder / f"{number}.json").read_text())
        except (OSError, ValueError):
            return None
        etag = record.get("etag") if isinstance(record, dict) else None
        return etag if isinstance(etag, str) else None
