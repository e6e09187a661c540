"""The sweeper re-enqueues jobs whose worker stopped renewing the lease, and fails them after
max_attempts workers died on them."""

from __future__ import annotations

import time

from argus.core.config import VideoSettings
from argus.jobs.repository import FAILED, IN_PROGRESS, JobRepository
from argus.jobs.sweeper import sweep
from tests.jobs.conftest import new_job, start_request


def test_a_job_with_a_live_lease_is_left_alone(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", 30.0)
    enqueued: list[str] = []
    assert sweep(repository, VideoSettings(), enqueued.append) == []
    assert enqueued == []


def test_a_queued_job_nobody_claimed_yet_is_left_alone(repository: JobRepository) -> None:
    repository.create(new_job(start_request()))
    enqueued: list[str] = []
    sweep(repository, VideoSettings(), enqueued.append)
    assert enqueued == []


def test_an_expired_lease_is_released_and_the_job_enqueued_once(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", 0.05)
    time.sleep(0.1)
    enqueued: list[str] = []
    sweep(repository, VideoSettings(), enqueued.append)
    sweep(repository, VideoSettings(), enqueued.append)
    assert enqueued == [job_id]
    job = repository.get(job_id)
    assert (job.status, job.worker_id) == (IN_PROGRESS, None)
    assert repository.claim(job_id, "worker-b", 30.0)


def test_a_job_that_killed_max_attempts_workers_fails(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    settings = VideoSettings(max_attempts=2)
    for worker in ("worker-a", "worker-b"):
        assert repository.claim(job_id, worker, 0.05)
        time.sleep(0.1)
    enqueued: list[str] = []
    sweep(repository, settings, enqueued.append)
    job = repository.get(job_id)
    assert enqueued == []
    assert job.status == FAILED
    assert job.status_message == "The job was abandoned by 2 workers in a row (each stopped mid-job)"


def test_a_job_waiting_too_long_for_a_worker_is_enqueued_again_once(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    settings = VideoSettings(requeue_unclaimed_after_s=0.05)
    time.sleep(0.1)
    enqueued: list[str] = []
    sweep(repository, settings, enqueued.append)
    sweep(repository, settings, enqueued.append)
    assert enqueued == [job_id]
    assert repository.claim(job_id, "worker-a", 30.0)
