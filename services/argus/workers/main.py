"""Start a worker process for one or more queues."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import worker_shutdown

from argus.core.config import Settings
from argus.core.models.registry import Task
from argus.notifications.worker import DispatcherStep
from argus.workers.celery_app import QUEUES, make_celery
from argus.workers.heartbeat import HeartbeatStep
from argus.workers.image.serving_step import ServingSyncStep
from argus.workers.image.tasks import register_image_tasks
from argus.workers.runtime import attach_runtime
from argus.workers.training.tasks import TrainingSweepStep, register_training_tasks
from argus.workers.video.sweeping import JobSweepStep
from argus.workers.video.tasks import register_video_tasks

log = logging.getLogger(__name__)


def build_worker_app(settings: Settings) -> Celery:
    app = make_celery(settings)
    attach_runtime(app, settings)
    register_image_tasks(app)
    register_video_tasks(app)
    register_training_tasks(app)
    return app


def run_worker(settings: Settings, queues: list[str], concurrency: int, pool: str, heartbeat: Path) -> None:
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown:
        raise SystemExit(f"unknown queue(s) {', '.join(unknown)}; choose from {', '.join(QUEUES)}")
    app = build_worker_app(settings)
    if "image" in queues:
        log.info("loading face models before taking image tasks")
        for task in (Task.FACE_DETECTION, Task.FACE_EMBEDDING):
            app.argus.registry.get(task)
    runtime = app.argus

    def finish_index_work(**_: Any) -> None:
        """Let a background retrain or snapshot write finish before the process exits."""
        if "indexes" in vars(runtime):
            runtime.indexes.close()

    worker_shutdown.connect(finish_index_work, weak=False)
    HeartbeatStep.path = heartbeat
    app.steps["worker"].add(HeartbeatStep)
    if "image" in queues:
        app.steps["worker"].add(ServingSyncStep)  # holds Custom Labels models (issue #6)
    if "video" in queues:
        app.steps["worker"].add(JobSweepStep)  # brings back video jobs whose worker died
    if "training" in queues:
        app.steps["worker"].add(TrainingSweepStep)  # re-enqueues stalled Custom Labels training
    app.steps["worker"].add(DispatcherStep)  # delivers SNS-style notifications (issue #5)
    app.worker_main(
        [
            "worker",
            f"--queues={','.join(queues)}",
            f"--concurrency={concurrency}",
            f"--pool={pool}",
            f"--loglevel={settings.log_level}",
            f"--hostname={'+'.join(queues)}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )
