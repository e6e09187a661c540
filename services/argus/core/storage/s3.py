"""Object store on S3 or MinIO through the ``minio`` SDK."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

from minio import Minio
from minio.error import S3Error

from argus.core.storage.base import ObjectNotFound, ObjectRef, ObjectTooLarge

_MISSING = {"NoSuchBucket", "NoSuchKey", "NoSuchVersion", "InvalidArgument", "NoSuchObject"}
CHUNK_BYTES = 8 * 1024 * 1024


def _translated(error: S3Error, ref: ObjectRef) -> Exception:
    if error.code in _MISSING or (error.response is not None and error.response.status == 404):
        return ObjectNotFound(f"s3://{ref.bucket}/{ref.name}: {error.code}")
    return error


class S3ObjectStore:
    def __init__(
        self, endpoint_url: str, access_key: str | None, secret_key: str | None, region: str
    ) -> None:
        parts = urlsplit(endpoint_url)
        if not parts.netloc:
            raise ValueError(f"ARGUS_S3_ENDPOINT_URL {endpoint_url!r} needs a scheme and host")
        self.client = Minio(
            parts.netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=parts.scheme == "https",
            region=region,
        )

    def get(self, ref: ObjectRef, max_bytes: int | None = None) -> bytes:
        try:
            if max_bytes is not None:
                self._check_size(ref, max_bytes)
            response = self.client.get_object(ref.bucket, ref.name, version_id=ref.version)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()
        except S3Error as error:
            raise _translated(error, ref) from error

    def download(self, ref: ObjectRef, destination: Path, max_bytes: int | None = None) -> int:
        try:
            size = self._check_size(ref, max_bytes)
            response = self.client.get_object(ref.bucket, ref.name, version_id=ref.version)
            try:
                with destination.open("wb") as handle:
                    for chunk in response.stream(CHUNK_BYTES):
                        handle.write(chunk)
            finally:
                response.close()
                response.release_conn()
        except S3Error as error:
            raise _translated(error, ref) from error
        return size

    def _check_size(self, ref: ObjectRef, max_bytes: int | None) -> int:
        stat = self.client.stat_object(ref.bucket, ref.name, version_id=ref.version)
        size = stat.size or 0
        if max_bytes is not None and size > max_bytes:
            raise ObjectTooLarge(size, max_bytes)
        return size

    def put(self, ref: ObjectRef, data: bytes, content_type: str = "application/octet-stream") -> None:
        self.client.put_object(ref.bucket, ref.name, io.BytesIO(data), len(data), content_type=content_type)

    def delete(self, ref: ObjectRef) -> None:
        self.client.remove_object(ref.bucket, ref.name, version_id=ref.version)

    def ensure_bucket(self, bucket: str) -> None:
        if not self.client.bucket_exists(bucket):
            self.client.make_bucket(bucket)

    def ping(self) -> None:
        self.client.list_buckets()
