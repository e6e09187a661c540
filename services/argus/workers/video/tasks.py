"""The video queue's one task: run a stored-video job by id (:mod:`argus.workers.video.runner`).

The message is acknowledged late, so a job whose worker process dies is delivered again; the
job's lease decides who runs it, so duplicates end as "skipped" and never repeat the work.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from argus.jobs.enqueue import RUN_JOB_TASK
from argus.workers.runtime import runtime_of
from argus.workers.video.runner import JobRunner


def register_video_tasks(app: Celery) -> None:
    @app.task(name=RUN_JOB_TASK, bind=True, acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
    def run_job(self: Any, job_id: str) -> str:
        return JobRunner(runtime_of(self.app)).run(job_id)
