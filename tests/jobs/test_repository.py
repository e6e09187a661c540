"""The job repository: idempotent creation, leases, fenced result writes, one completion, keyset pages."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.orm import Session

from argus.core.db.models.video import VideoJob
from argus.core.errors import IdempotentParameterMismatchException, ResourceNotFoundException
from argus.jobs.repository import FAILED, IN_PROGRESS, SUCCEEDED, JobRepository, View
from tests.jobs.conftest import new_job, start_request

LEASE = 30.0


def label(timestamp: int, name: str) -> dict[str, object]:
    return {"Timestamp": timestamp, "Label": {"Name": name, "Confidence": 90.0}}


def segment(start: int, end: int, name: str) -> dict[str, object]:
    return {
        **label(start, name),
        "StartTimestampMillis": start,
        "EndTimestampMillis": end,
        "DurationMillis": end - start,
    }


def test_a_new_job_is_in_progress_with_its_video_and_tag(repository: JobRepository) -> None:
    created = repository.create(new_job(start_request(JobTag="nightly")))
    job = repository.get(created.job_id)
    assert created.new
    assert (job.status, job.progress, job.kind) == (IN_PROGRESS, 0.0, "LabelDetection")
    assert (job.s3_bucket, job.s3_name, job.job_tag) == ("videos", "clip.mp4", "nightly")


def test_the_same_token_and_parameters_give_the_same_job(repository: JobRepository) -> None:
    first = repository.create(new_job(start_request(ClientRequestToken="t-1")))
    again = repository.create(new_job(start_request(ClientRequestToken="t-1")))
    assert again.job_id == first.job_id
    assert not again.new


def test_the_same_token_with_other_parameters_is_a_mismatch(repository: JobRepository) -> None:
    repository.create(new_job(start_request(ClientRequestToken="t-1")))
    with pytest.raises(IdempotentParameterMismatchException):
        repository.create(new_job(start_request("other.mp4", ClientRequestToken="t-1")))


def test_tokens_are_scoped_to_the_job_kind(repository: JobRepository) -> None:
    labels = repository.create(new_job(start_request(ClientRequestToken="t-1")))
    faces = repository.create(new_job(start_request(ClientRequestToken="t-1"), kind="FaceDetection"))
    assert labels.job_id != faces.job_id


def test_jobs_without_token_are_always_new(repository: JobRepository) -> None:
    assert (
        repository.create(new_job(start_request())).job_id
        != repository.create(new_job(start_request())).job_id
    )


def test_another_accounts_job_is_not_found(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    with pytest.raises(ResourceNotFoundException):
        repository.get(job_id, account_id="999999999999")


def test_a_held_job_cannot_be_claimed_again(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    assert repository.claim(job_id, "worker-a", LEASE)
    assert not repository.claim(job_id, "worker-b", LEASE)
    assert repository.get(job_id).attempts == 1


def test_an_expired_lease_is_claimed_and_the_partial_results_are_dropped(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    assert repository.claim(job_id, "worker-a", 0.05)
    assert repository.add_results(job_id, "worker-a", 0.05, 0, [label(0, "Cat")], 10.0)
    time.sleep(0.1)
    assert repository.claim(job_id, "worker-b", LEASE)
    assert repository.count_results(job_id) == 0
    assert repository.get(job_id).attempts == 2


def test_claiming_again_drops_the_partial_segments_too(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    assert repository.claim(job_id, "worker-a", 0.05)
    assert repository.add_results(job_id, "worker-a", 0.05, 0, [label(0, "Cat")], 10.0)
    assert repository.add_results(job_id, "worker-a", 0.05, 1, [segment(0, 500, "Cat")], 99.0, View.SEGMENTS)
    time.sleep(0.1)
    assert repository.claim(job_id, "worker-b", LEASE)
    assert repository.count_results(job_id, view=None) == 0


def test_a_worker_that_lost_its_lease_cannot_write_results(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", 0.05)
    time.sleep(0.1)
    repository.claim(job_id, "worker-b", LEASE)
    assert not repository.add_results(job_id, "worker-a", LEASE, 0, [label(0, "Cat")], 10.0)
    assert not repository.renew(job_id, "worker-a", LEASE)
    assert repository.count_results(job_id) == 0


def test_a_job_completes_once_and_runs_its_finisher_once(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    finished: list[str] = []

    def finisher(session: Session, job: VideoJob) -> None:
        finished.append(job.status)

    assert repository.complete(job_id, "worker-a", SUCCEEDED, finisher=finisher)
    assert not repository.complete(job_id, "worker-a", FAILED, "again", finisher=finisher)
    job = repository.get(job_id)
    assert (job.status, job.progress, job.status_message) == (SUCCEEDED, 100.0, None)
    assert finished == [SUCCEEDED]


def test_only_the_lease_holder_completes(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    assert not repository.complete(job_id, "worker-b", SUCCEEDED)
    assert repository.get(job_id).status == IN_PROGRESS


def test_pages_follow_time_order_across_next_tokens(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    items = [label(500, "Dog"), label(0, "Cat"), label(500, "Ant"), label(1000, "Cat"), label(0, "Bee")]
    repository.add_results(job_id, "worker-a", LEASE, 0, items, 50.0)
    seen, after = [], None
    while True:
        page, after = repository.page(job_id, 2, by_key=False, after=after)
        seen.append([(i["Timestamp"], i["Label"]["Name"]) for i in page])
        if after is None:
            break
    assert seen == [[(0, "Cat"), (0, "Bee")], [(500, "Dog"), (500, "Ant")], [(1000, "Cat")]]


def test_pages_by_name_sort_by_name_then_time(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    items = [label(500, "Dog"), label(1000, "Cat"), label(0, "Cat"), label(500, "Ant")]
    repository.add_results(job_id, "worker-a", LEASE, 0, items, 50.0)
    first, after = repository.page(job_id, 3, by_key=True, after=None)
    second, last = repository.page(job_id, 3, by_key=True, after=after)
    names = [(i["Label"]["Name"], i["Timestamp"]) for i in first + second]
    assert names == [("Ant", 500), ("Cat", 0), ("Cat", 1000), ("Dog", 500)]
    assert last is None


def test_the_segments_view_pages_apart_from_the_timestamps(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    timestamps = [label(0, "Cat"), label(500, "Cat"), label(500, "Ant")]
    repository.add_results(job_id, "worker-a", LEASE, 0, timestamps, 99.0)
    spans = [segment(500, 1000, "Ant"), segment(0, 1000, "Cat")]
    assert repository.add_results(job_id, "worker-a", LEASE, 3, spans, 99.0, View.SEGMENTS)
    by_time, after = repository.page(job_id, 1, by_key=False, after=None, view=View.SEGMENTS)
    rest, last = repository.page(job_id, 1, by_key=False, after=after, view=View.SEGMENTS)
    assert [by_time, rest, last] == [[spans[1]], [spans[0]], None]
    by_name, _ = repository.page(job_id, 10, by_key=True, after=None, view=View.SEGMENTS)
    assert by_name == spans
    assert repository.page(job_id, 10, by_key=False, after=None)[0] == timestamps


def test_result_count_counts_the_timestamps_items_only(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    repository.add_results(job_id, "worker-a", LEASE, 0, [label(0, "Cat"), label(500, "Cat")], 99.0)
    repository.add_results(job_id, "worker-a", LEASE, 2, [segment(0, 1000, "Cat")], 99.0, View.SEGMENTS)
    assert repository.get(job_id).result_count == 2
    assert (repository.count_results(job_id), repository.count_results(job_id, View.SEGMENTS)) == (2, 1)


def test_items_reads_a_whole_view_in_batches(repository: JobRepository) -> None:
    job_id = repository.create(new_job(start_request())).job_id
    repository.claim(job_id, "worker-a", LEASE)
    items = [label(t, name) for t in range(0, 2500, 500) for name in ("Dog", "Cat")]
    repository.add_results(job_id, "worker-a", LEASE, 0, items, 50.0)
    read = list(repository.items(job_id, by_key=True, batch=3))
    assert [(i["Label"]["Name"], i["Timestamp"]) for i in read] == [
        (name, t) for name in ("Cat", "Dog") for t in range(0, 2500, 500)
    ]
