"""What a worker process holds: settings, the model registry, the object store.

It hangs off the Celery app (``app.argus``) rather than a module global, and is built once
per process on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property

from celery import Celery

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.index.catalog import INDEX_BUCKET, CollectionIndexes
from argus.core.models.registry import ModelRegistry
from argus.core.storage import ObjectStore, open_object_store


@dataclass
class WorkerRuntime:
    settings: Settings

    @cached_property
    def registry(self) -> ModelRegistry:
        return ModelRegistry(self.settings)

    @cached_property
    def store(self) -> ObjectStore:
        store = open_object_store(self.settings)
        store.ensure_bucket(INDEX_BUCKET)
        return store

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.effective_database_url)

    @cached_property
    def indexes(self) -> CollectionIndexes:
        budget = self.settings.index_memory_budget_mb * 1024 * 1024
        return CollectionIndexes(self.db, self.store, bucket=INDEX_BUCKET, memory_budget_bytes=budget)


_attach_lock = threading.Lock()


def attach_runtime(app: Celery, settings: Settings) -> WorkerRuntime:
    with _attach_lock:
        runtime = WorkerRuntime(settings)
        app.argus = runtime
        return runtime


def runtime_of(app: Celery) -> WorkerRuntime:
    runtime: WorkerRuntime | None = getattr(app, "argus", None)
    if runtime is None:
        raise RuntimeError("the worker runtime was not attached; start workers with `argus worker`")
    return runtime
