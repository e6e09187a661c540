"""The job sweeper of a video worker process: brings back jobs whose worker died (lease expired)."""

from __future__ import annotations

from celery import Celery

from argus.jobs.enqueue import enqueue_job
from argus.jobs.repository import JobRepository
from argus.jobs.sweeper import sweep
from argus.workers.periodic import PeriodicStep
from argus.workers.runtime import runtime_of


class JobSweepStep(PeriodicStep):
    name = "argus-video-sweeper"

    def interval_s(self, app: Celery) -> float:
        return runtime_of(app).settings.video.sweep_interval_s

    def tick(self, app: Celery) -> None:
        runtime = runtime_of(app)
        sweep(JobRepository(runtime.db), runtime.settings.video, lambda job_id: enqueue_job(app, job_id))
