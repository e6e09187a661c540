"""A video worker killed mid-job: the lease expires, the sweeper re-enqueues the job, a new
worker runs it again from the start, and it completes exactly once (one notification, every
result once)."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import pytest

from argus.core.db.engine import Database
from argus.jobs.repository import JobRepository
from tests.e2e.conftest import client_for
from tests.e2e.servers import Server, argus, cluster_server, embedded_server, start
from tests.support.sns_receiver import sns_receiver, subscribe_receiver
from tests.video.jobs_client import all_pages, place_video, wait_job
from tests.video.media import solid, write_video

ROLE = "arn:aws:iam::111122223333:role/rekognition-video"
VIDEO_WORKER = "worker-video+training"
SECONDS = 30


@pytest.fixture(scope="module")
def faults_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with cluster_server(tmp_path_factory.mktemp("faults")) as server:
        yield server


@pytest.fixture(scope="module")
def faults_embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(tmp_path_factory.mktemp("faults-embedded")) as server:
        yield server


@pytest.fixture(scope="module")
def long_text_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The word ARGUS for SECONDS seconds: text detection reads one frame a second, slowly
    enough (OCR) that the worker can be killed half-way."""
    frame = solid((0, 0, 0), 320, 240)
    cv2.putText(frame, "ARGUS", (40, 140), cv2.FONT_HERSHEY_SIMPLEX, 2.2, (255, 255, 255), 5, cv2.LINE_AA)
    path = tmp_path_factory.mktemp("clips") / "long.mp4"
    return write_video(path, [(frame, float(SECONDS))], fps=5).read_bytes()


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.2)


def database_url(server: Server) -> str:
    if server.mode == "cluster":
        return server.env["ARGUS_DATABASE_URL"]
    assert server.data_dir is not None
    return f"sqlite:///{server.data_dir / 'argus.db'}"


def kill_cluster_video_worker(server: Server, tmp_path: Path) -> None:
    """SIGKILL the cluster's video worker, then start a fresh one (an operator's restart)."""
    victim = server.processes[VIDEO_WORKER]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    env = {**server.env, "ARGUS_WORKER_HEARTBEAT": str(tmp_path / "video.heartbeat")}
    command = argus("worker", "--queues", "video,training")
    server.processes[VIDEO_WORKER] = start(VIDEO_WORKER, command, env, tmp_path)


def kill_embedded_video_worker(server: Server, tmp_path: Path) -> None:
    """SIGKILL the embedded server's video worker; its supervisor starts a new one."""
    serve = server.processes["serve"].pid
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        queues = cmdline[cmdline.index(b"--queues") + 1].split(b",") if b"--queues" in cmdline else []
        if parent == serve and b"video" in queues:
            os.kill(int(proc.name), signal.SIGKILL)
            return
    raise AssertionError("no video worker under the embedded server")


def run_and_kill(
    server: Server,
    request: pytest.FixtureRequest,
    clip: bytes,
    kill: Callable[[Server, Path], None],
    tmp_path: Path,
) -> None:
    client = client_for(server)
    video = place_video(server, request, "long.mp4", clip)
    jobs = JobRepository(Database(database_url(server)))
    with sns_receiver() as receiver:
        credentials = (server.access_key_id, server.secret_access_key)
        topic_arn, _ = subscribe_receiver(
            server.endpoint, credentials, f"jobs-{uuid.uuid4().hex[:8]}", receiver
        )
        channel = {"SNSTopicArn": topic_arn, "RoleArn": ROLE}
        job_id = client.start_text_detection(Video=video, JobTag="survivor", NotificationChannel=channel)[
            "JobId"
        ]
        wait_until(lambda: jobs.get(job_id).progress >= 10, 180, "the job never got going")
        kill(server, tmp_path)
        first = jobs.get(job_id)
        assert (first.status, first.attempts) == ("IN_PROGRESS", 1)

        result = wait_job(client.get_text_detection, job_id, timeout=300)
        assert result["JobStatus"] == "SUCCEEDED"
        assert jobs.get(job_id).attempts == 2
        found = all_pages(client.get_text_detection, job_id, "TextDetections", MaxResults=7)
        keys = [(item["Timestamp"], item["TextDetection"]["Id"]) for item in found]
        assert len(keys) == len(set(keys))
        lines = [
            item["Timestamp"]
            for item in found
            if item["TextDetection"]["Type"] == "LINE" and item["TextDetection"]["DetectedText"] == "ARGUS"
        ]
        assert lines == list(range(0, SECONDS * 1000, 1000))
        receiver.wait_for(lambda r: r.type == "Notification", timeout=60)
        time.sleep(3)
        notes = [json.loads(r.message["Message"]) for r in receiver.messages("Notification")]
        assert [(n["JobId"], n["Status"], n["JobTag"]) for n in notes] == [(job_id, "SUCCEEDED", "survivor")]
    jobs.db.dispose()


def test_a_killed_cluster_worker_does_not_lose_the_job(
    faults_cluster: Server, request: pytest.FixtureRequest, long_text_clip: bytes, tmp_path: Path
) -> None:
    run_and_kill(faults_cluster, request, long_text_clip, kill_cluster_video_worker, tmp_path)


def test_a_killed_embedded_worker_does_not_lose_the_job(
    faults_embedded: Server, request: pytest.FixtureRequest, long_text_clip: bytes, tmp_path: Path
) -> None:
    run_and_kill(faults_embedded, request, long_text_clip, kill_embedded_video_worker, tmp_path)
