"""Object storage: pick the backend from the settings."""

from __future__ import annotations

from argus.core.config import Settings
from argus.core.storage.base import ObjectNotFound, ObjectRef, ObjectStore, ObjectTooLarge
from argus.core.storage.local import LocalObjectStore
from argus.core.storage.s3 import S3ObjectStore

__all__ = ["ObjectNotFound", "ObjectRef", "ObjectStore", "ObjectTooLarge", "open_object_store"]


def open_object_store(settings: Settings) -> ObjectStore:
    if settings.s3_endpoint_url:
        secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
        return S3ObjectStore(settings.s3_endpoint_url, settings.s3_access_key, secret, settings.s3_region)
    if not settings.embedded:
        raise ValueError("ARGUS_S3_ENDPOINT_URL is required in cluster mode")
    settings.object_store_dir.mkdir(parents=True, exist_ok=True)
    return LocalObjectStore(settings.object_store_dir)
