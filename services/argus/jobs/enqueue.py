"""Putting a video job on the ``video`` queue (the gateway after Start*, the sweeper after a crash)."""

from __future__ import annotations

from celery import Celery

RUN_JOB_TASK = "argus.video.run_job"
"""Routed to the ``video`` queue by ``argus.video.*``; its one argument is the job id."""


def enqueue_job(celery: Celery, job_id: str) -> None:
    celery.send_task(RUN_JOB_TASK, args=[job_id])
