"""The image worker's Custom Labels serving loop (see :mod:`argus.custom_labels.replicas`)."""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

from celery import Celery

from argus.custom_labels.replicas import ServingSync
from argus.workers.periodic import PeriodicStep
from argus.workers.runtime import runtime_of


class ServingSyncStep(PeriodicStep):
    name = "argus-custom-labels-serving"

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self._sync: ServingSync | None = None

    def interval_s(self, app: Celery) -> float:
        return runtime_of(app).settings.training.serving_sync_s

    def tick(self, app: Celery) -> None:
        if self._sync is None:
            runtime = runtime_of(app)
            worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
            self._sync = ServingSync(runtime.settings, runtime.db, runtime.store, runtime.registry, worker_id)
        self._sync.sync()
