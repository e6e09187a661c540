"""Runs one stored-video job: claim it, fetch and probe the video, decode it once, feed the kind's
analyzer, store its items in batches, aggregate label and moderation items into segments
(AggregateBy SEGMENTS, :mod:`argus.jobs.aggregation`), and complete the job (with its
notification) exactly once.

A job whose worker dies is claimed again (by the sweeper's re-enqueue or the broker's redelivery)
and restarts from the first frame: the claim deletes the partial results, and a worker that lost
its lease can no longer insert any, so Get* never sees an item twice.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from argus.core.errors import AwsError
from argus.core.storage import ObjectNotFound, ObjectRef, ObjectTooLarge
from argus.jobs.aggregation import SegmentRules, segments
from argus.jobs.kinds import KINDS
from argus.jobs.notify import notify_completion
from argus.jobs.repository import FAILED, SUCCEEDED, JobRepository, View
from argus.video import metadata
from argus.video.decode import frames
from argus.video.errors import UnreadableVideo
from argus.video.frames import VideoInfo
from argus.video.limits import check_duration
from argus.video.probe import describe, open_container
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer, ResultItem
from argus.workers.video.analyzers.context import JobContext, with_context
from argus.workers.video.lease import LeaseKeeper

log = logging.getLogger(__name__)

S3_UNREADABLE = "Unable to get object metadata from S3. Check object key, region and/or access permissions."
FLUSH_EVERY_S = 2.0


class LostLease(Exception):
    """Another worker owns the job now: stop without writing."""


def new_worker_id() -> str:
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def build_analyzer(
    runtime: WorkerRuntime, kind: str, params: dict[str, Any], info: VideoInfo
) -> FrameAnalyzer:
    module = importlib.import_module(f"argus.workers.video.analyzers.{KINDS[kind].analyzer}")
    analyzer: FrameAnalyzer = module.build(runtime, params, info)
    return analyzer


class JobRunner:
    def __init__(self, runtime: WorkerRuntime, repository: JobRepository | None = None) -> None:
        self.runtime = runtime
        self.repository = repository or JobRepository(runtime.db)
        self.settings = runtime.settings.video

    def run(self, job_id: str) -> str:
        """Run the job if nobody else holds it; returns what happened (for logs and tests)."""
        worker_id = new_worker_id()
        if not self.repository.claim(job_id, worker_id, self.settings.lease_ttl_s):
            log.info("video job %s is done or held by another worker; skipping", job_id)
            return "skipped"
        with LeaseKeeper(self.repository, job_id, worker_id, self.settings.lease_ttl_s) as lease:
            try:
                info, fields = self._analyze(job_id, worker_id, lease)
            except LostLease:
                log.warning("video job %s: lease lost, another worker takes over", job_id)
                return "lost"
            except (AwsError, UnreadableVideo) as error:
                message = error.message if isinstance(error, AwsError) else str(error)
                return self._complete(job_id, worker_id, FAILED, message)
            except Exception as error:
                log.exception("video job %s failed", job_id)
                return self._complete(job_id, worker_id, FAILED, f"Internal error: {type(error).__name__}")
            return self._complete(job_id, worker_id, SUCCEEDED, None, info, fields)

    def _complete(
        self,
        job_id: str,
        worker_id: str,
        status: str,
        message: str | None,
        info: VideoInfo | None = None,
        fields: dict[str, Any] | None = None,
    ) -> str:
        done = self.repository.complete(
            job_id,
            worker_id,
            status,
            message,
            video_metadata=metadata.to_json(info) if info is not None else None,
            response_fields=fields,
            finisher=notify_completion,
        )
        if not done:
            return "lost"
        log.info("video job %s %s%s", job_id, status, f": {message}" if message else "")
        return status

    def _fetch(self, bucket: str, name: str, version: str | None, destination: Path) -> None:
        """Stream the video into a scratch file: a long video is never held in memory whole."""
        try:
            self.runtime.store.download(
                ObjectRef(bucket, name, version), destination, max_bytes=self.settings.max_file_bytes
            )
        except ObjectNotFound as missing:
            raise UnreadableVideo(S3_UNREADABLE) from missing
        except ObjectTooLarge as large:
            raise UnreadableVideo(
                f"The file size of the supplied media is too large: {large.size} bytes, "
                f"the limit is {large.limit}"
            ) from large

    def _analyze(self, job_id: str, worker_id: str, lease: LeaseKeeper) -> tuple[VideoInfo, dict[str, Any]]:
        job = self.repository.get(job_id)
        with tempfile.TemporaryDirectory(prefix="argus-video-") as scratch:
            path = Path(scratch) / "video"
            self._fetch(job.s3_bucket, job.s3_name, job.s3_version, path)
            return self._analyze_file(job_id, worker_id, lease, path)

    def _analyze_file(
        self, job_id: str, worker_id: str, lease: LeaseKeeper, path: Path
    ) -> tuple[VideoInfo, dict[str, Any]]:
        job = self.repository.get(job_id)
        container = open_container(str(path))
        try:
            info = describe(container)
            check_duration(info, self.settings)
            if not self.repository.renew(
                job_id, worker_id, self.settings.lease_ttl_s, video_metadata=metadata.to_json(info)
            ):
                raise LostLease
            context = JobContext(job_id=job_id, account_id=job.account_id, region=job.region)
            analyzer = build_analyzer(self.runtime, job.kind, with_context(job.params, context), info)
            writer = ResultWriter(self.repository, job_id, worker_id, self.settings.lease_ttl_s, lease)
            batch = self.settings.result_batch_size
            for frame in frames(container, analyzer.sample_fps):
                if lease.lost.is_set():
                    raise LostLease
                lease.progress = min(99.0, 100.0 * frame.timestamp_ms / max(1, info.duration_ms))
                writer.add(analyzer.feed(frame))
                if writer.pending >= batch or writer.since_flush() >= FLUSH_EVERY_S:
                    writer.flush()
            writer.add(analyzer.finish())
            writer.flush()
        finally:
            container.close()
        member = KINDS[job.kind].aggregate_member
        if member is not None:
            rules = SegmentRules.for_video(
                analyzer.sample_fps, info.frame_rate, info.duration_ms, self.settings.segment_gap_samples
            )
            self._aggregate(job_id, worker_id, lease, member, rules, first_seq=writer.written)
        fields: dict[str, Any] = dict(getattr(analyzer, "response_fields", None) or {})
        return info, fields

    def _aggregate(
        self,
        job_id: str,
        worker_id: str,
        lease: LeaseKeeper,
        member: str,
        rules: SegmentRules,
        first_seq: int,
    ) -> None:
        """Store the SEGMENTS view, built from the TIMESTAMPS items just written (read back in
        name order, so memory stays bounded), under the lease like every other result."""
        writer = ResultWriter(
            self.repository, job_id, worker_id, self.settings.lease_ttl_s, lease, View.SEGMENTS, first_seq
        )
        for item in segments(self.repository.items(job_id, by_key=True), member, rules):
            if lease.lost.is_set():
                raise LostLease
            writer.add([item])
            if writer.pending >= self.settings.result_batch_size:
                writer.flush()
        writer.flush()


class ResultWriter:
    """Buffers result items and inserts them under the lease, numbering them in order."""

    def __init__(
        self,
        repository: JobRepository,
        job_id: str,
        worker_id: str,
        ttl_s: float,
        lease: LeaseKeeper,
        view: View = View.TIMESTAMPS,
        first_seq: int = 0,
    ) -> None:
        self.repository = repository
        self.job_id = job_id
        self.worker_id = worker_id
        self.ttl_s = ttl_s
        self.lease = lease
        self.view = view
        self.buffer: list[ResultItem] = []
        self.written = first_seq
        """The next item's seq (the items written so far, with ``first_seq`` before them)."""
        self.flushed_at = time.monotonic()

    @property
    def pending(self) -> int:
        return len(self.buffer)

    def since_flush(self) -> float:
        return time.monotonic() - self.flushed_at

    def add(self, items: list[ResultItem]) -> None:
        self.buffer.extend(items)

    def flush(self) -> None:
        held = self.repository.add_results(
            self.job_id,
            self.worker_id,
            self.ttl_s,
            self.written,
            self.buffer,
            round(self.lease.progress, 2),
            self.view,
        )
        if not held:
            raise LostLease
        self.written += len(self.buffer)
        self.buffer = []
        self.flushed_at = time.monotonic()
