"""The job runner end to end in one process: real decoding, real models, real database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from argus.core.db.models.video import VideoJob
from argus.jobs.repository import FAILED, SUCCEEDED, JobRepository, View
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.runner import JobRunner
from tests.support import videos
from tests.video.media import solid, write_video
from tests.workers.video.conftest import put_video, start


def results(runtime: WorkerRuntime, job_id: str, view: View = View.TIMESTAMPS) -> list[dict[str, Any]]:
    items, _ = JobRepository(runtime.db).page(job_id, 10_000, by_key=False, after=None, view=view)
    return items


@pytest.fixture(scope="session")
def cup_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """1 s of black, 2 s of a coffee cup, 1 s of a cat: 320x240 at 10 fps."""
    cup, cat = (videos.fit(videos.photo(name), 320, 240) for name in ("coffee", "chelsea"))
    scenes = [(solid((0, 0, 0), 320, 240), 1.0), (cup, 2.0), (cat, 1.0)]
    return write_video(tmp_path_factory.mktemp("clips") / "cup.mp4", scenes, fps=10).read_bytes()


def test_face_detection_finds_the_face_at_five_frames_a_second(
    runtime: WorkerRuntime, face_clip: bytes
) -> None:
    put_video(runtime, "face.mp4", face_clip)
    job_id = start(runtime, "FaceDetection", "face.mp4")
    assert JobRunner(runtime).run(job_id) == SUCCEEDED
    faces = results(runtime, job_id)
    assert [item["Timestamp"] for item in faces] == list(range(0, 2000, 200))
    assert all(item["Face"]["Confidence"] > 80 for item in faces)
    assert all(item["Face"]["BoundingBox"]["Width"] > 0.1 for item in faces)
    job = JobRepository(runtime.db).get(job_id)
    assert (job.status, job.progress, job.attempts) == (SUCCEEDED, 100.0, 1)
    assert job.video_metadata is not None and job.video_metadata["duration_ms"] == 3000


def test_face_attributes_all_adds_the_full_face_detail(runtime: WorkerRuntime, face_clip: bytes) -> None:
    put_video(runtime, "face.mp4", face_clip)
    job_id = start(runtime, "FaceDetection", "face.mp4", FaceAttributes="ALL")
    JobRunner(runtime).run(job_id)
    first = results(runtime, job_id)[0]["Face"]
    assert {"AgeRange", "Gender", "Emotions", "Smile"} <= set(first)


def test_a_finished_job_is_not_run_twice(runtime: WorkerRuntime, face_clip: bytes) -> None:
    put_video(runtime, "face.mp4", face_clip)
    job_id = start(runtime, "FaceDetection", "face.mp4")
    JobRunner(runtime).run(job_id)
    assert JobRunner(runtime).run(job_id) == "skipped"
    assert len(results(runtime, job_id)) == 10


def test_an_unreadable_file_fails_the_job_with_a_message(runtime: WorkerRuntime) -> None:
    put_video(runtime, "notes.mp4", b"definitely not a video" * 50)
    job_id = start(runtime, "LabelDetection", "notes.mp4")
    assert JobRunner(runtime).run(job_id) == FAILED
    job = JobRepository(runtime.db).get(job_id)
    assert job.status == FAILED
    assert job.status_message is not None and job.status_message.startswith("The video could not be read")


def test_a_missing_object_fails_the_job(runtime: WorkerRuntime) -> None:
    job_id = start(runtime, "LabelDetection", "gone.mp4")
    assert JobRunner(runtime).run(job_id) == FAILED
    message = JobRepository(runtime.db).get(job_id).status_message
    assert message is not None and message.startswith("Unable to get object metadata from S3")


class StolenMidJob(JobRepository):
    """Another worker takes the job (after the sweeper released it) just before the first batch
    of results is written: the interleaving a stalled worker meets."""

    def add_results(self, job_id: str, worker_id: str, *args: Any, **kwargs: Any) -> bool:
        with self.db.session() as session:
            session.execute(update(VideoJob).where(VideoJob.job_id == job_id).values(worker_id="thief"))
        return super().add_results(job_id, worker_id, *args, **kwargs)


def test_a_worker_that_lost_its_job_stops_without_writing(runtime: WorkerRuntime, face_clip: bytes) -> None:
    put_video(runtime, "face.mp4", face_clip)
    job_id = start(runtime, "FaceDetection", "face.mp4")
    assert JobRunner(runtime, StolenMidJob(runtime.db)).run(job_id) == "lost"
    job = JobRepository(runtime.db).get(job_id)
    assert (job.status, job.worker_id) == ("IN_PROGRESS", "thief")
    assert results(runtime, job_id) == []


def spans(items: list[dict[str, Any]], name: str) -> list[tuple[int, int]]:
    return [
        (item["StartTimestampMillis"], item["EndTimestampMillis"])
        for item in items
        if item["Label"]["Name"] == name
    ]


def test_label_detection_stores_each_label_segment_once_the_frames_are_analyzed(
    runtime: WorkerRuntime, cup_clip: bytes
) -> None:
    put_video(runtime, "cup.mp4", cup_clip)
    job_id = start(runtime, "LabelDetection", "cup.mp4", MinConfidence=60)
    assert JobRunner(runtime).run(job_id) == SUCCEEDED  # 1 frame a second: 0, 1000, 2000, 3000 ms
    frames = results(runtime, job_id)
    segments = results(runtime, job_id, View.SEGMENTS)
    assert sorted({item["Timestamp"] for item in frames}) == [1000, 2000, 3000]
    assert spans(segments, "Coffee Cup") == [(1000, 3000)]
    assert spans(segments, "Cat") == [(3000, 4000)]
    assert {item["Label"]["Name"] for item in segments} == {item["Label"]["Name"] for item in frames}
    assert all(item["Timestamp"] == item["StartTimestampMillis"] for item in segments)
    assert JobRepository(runtime.db).get(job_id).result_count == len(frames)


class StolenWhileAggregating(JobRepository):
    """Another worker takes the job after the frames are stored, as the segments are written."""

    def add_results(self, job_id: str, worker_id: str, *args: Any, **kwargs: Any) -> bool:
        if View.SEGMENTS in args or kwargs.get("view") is View.SEGMENTS:
            with self.db.session() as session:
                session.execute(update(VideoJob).where(VideoJob.job_id == job_id).values(worker_id="thief"))
        return super().add_results(job_id, worker_id, *args, **kwargs)


def test_segments_are_written_under_the_lease(runtime: WorkerRuntime, cup_clip: bytes) -> None:
    put_video(runtime, "cup.mp4", cup_clip)
    job_id = start(runtime, "LabelDetection", "cup.mp4", MinConfidence=60)
    assert JobRunner(runtime, StolenWhileAggregating(runtime.db)).run(job_id) == "lost"
    job = JobRepository(runtime.db).get(job_id)
    assert (job.status, job.worker_id) == ("IN_PROGRESS", "thief")
    assert results(runtime, job_id, View.SEGMENTS) == []
