"""Brings back jobs whose worker died: a lease that stopped being renewed is released and the
job re-enqueued (or FAILED once it has used up ``max_attempts`` workers). A job no worker claimed
for ``requeue_unclaimed_after_s`` (its queue message was lost: the gateway stopped between the
commit and the send, the broker lost it) is enqueued again; a duplicate message is harmless, the
claim lets only one run.

Each video worker runs :func:`sweep` periodically (:class:`argus.workers.video.sweeping.JobSweepStep`);
several sweepers are safe together because ``release`` is a conditional UPDATE only one of them wins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from argus.core.config import VideoSettings
from argus.jobs.notify import notify_completion
from argus.jobs.repository import FAILED, JobRepository

log = logging.getLogger(__name__)

Enqueue = Callable[[str], None]


def sweep(repository: JobRepository, settings: VideoSettings, enqueue: Enqueue) -> list[str]:
    """One pass; returns the job ids it re-enqueued."""
    requeued = []
    for job_id, attempts in repository.expired():
        if attempts >= settings.max_attempts:
            message = f"The job was abandoned by {attempts} workers in a row (each stopped mid-job)"
            if repository.complete(job_id, None, FAILED, message, finisher=notify_completion):
                log.warning("video job %s failed: %s", job_id, message)
            continue
        if repository.release(job_id):
            log.warning("video job %s lost its worker (lease expired); re-enqueueing", job_id)
            enqueue(job_id)
            requeued.append(job_id)
    for job_id in repository.unclaimed(settings.requeue_unclaimed_after_s):
        if repository.touch_unclaimed(job_id, settings.requeue_unclaimed_after_s):
            log.warning("video job %s waited for a worker too long; enqueueing it again", job_id)
            enqueue(job_id)
            requeued.append(job_id)
    return requeued
