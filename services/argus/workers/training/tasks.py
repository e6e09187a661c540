"""Custom Labels training on the ``training`` queue, and the sweeper that re-enqueues stalled training.

``argus.training.train`` runs one attempt (:class:`argus.custom_labels.job.TrainingAttempt`); it is
acknowledged late, so a message whose worker died is delivered again, and the attempt's lease makes
any duplicate a no-op. Training workers also sweep every ``sweep_interval_s``: a version whose lease
expired (its worker died or hung) is sent to the queue again and resumes from its last checkpoint.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

from celery import Celery

from argus.custom_labels import repository
from argus.custom_labels.job import TrainingAttempt
from argus.workers.periodic import PeriodicStep
from argus.workers.runtime import runtime_of

log = logging.getLogger(__name__)

TRAIN_TASK = "argus.training.train"


def enqueue_training(app: Celery, version_pk: int) -> None:
    app.send_task(TRAIN_TASK, args=[version_pk], queue="training")


def register_training_tasks(app: Celery) -> None:
    @app.task(name=TRAIN_TASK, bind=True, acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
    def train(self: Any, version_pk: int) -> None:
        runtime = runtime_of(self.app)
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        TrainingAttempt(runtime.settings, runtime.db, runtime.store, owner).run(version_pk)


class TrainingSweepStep(PeriodicStep):
    name = "argus-training-sweeper"

    def interval_s(self, app: Celery) -> float:
        return runtime_of(app).settings.training.sweep_interval_s

    def tick(self, app: Celery) -> None:
        runtime = runtime_of(app)
        for pk in repository.requeue_stalled(runtime.db, runtime.settings.training.heartbeat_ttl_s):
            log.warning("training of version %s stalled (lease expired); enqueueing it again", pk)
            enqueue_training(app, pk)
