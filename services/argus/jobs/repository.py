"""The video job repository: every read and write of ``video_jobs`` and ``video_job_results``.

Exactly-once rests on three conditional UPDATEs:

* ``claim``: a worker takes a job only while it is IN_PROGRESS and nobody holds a live lease;
  taking it deletes results a dead worker left behind (the job restarts from the first frame).
* ``renew`` (also run in the transaction that inserts results): the lease is extended only for
  the worker that holds it, so a worker that lost its lease can never add results.
* ``complete``: the status leaves IN_PROGRESS once, for the lease holder, in the transaction that
  also writes the notification (the outbox), so one completion sends one notification.

Results come in two views (Get*'s AggregateBy, the ``aggregate`` column): TIMESTAMPS items as
the analyzer produced them, and for label and moderation jobs the SEGMENTS items the worker
aggregates from them before completing; both are written, and dropped, under the same lease.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import CursorResult, delete, func, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.video import VideoJob, VideoJobResult
from argus.core.errors import IdempotentParameterMismatchException, ResourceNotFoundException
from argus.jobs.fingerprint import canonical, params_hash
from argus.jobs.sort_keys import sort_key_of, timestamp_of

IN_PROGRESS, SUCCEEDED, FAILED = "IN_PROGRESS", "SUCCEEDED", "FAILED"

Finisher = Callable[[Session, VideoJob], None]
"""Runs inside the completing transaction (publishes the notification)."""

READ_BATCH = 1000


class View(StrEnum):
    """Which Get* ``AggregateBy`` a result row belongs to (its ``aggregate`` column)."""

    TIMESTAMPS = "T"
    SEGMENTS = "S"


@dataclass(frozen=True)
class NewJob:
    account_id: str
    region: str
    kind: str
    params: Mapping[str, Any]

    @property
    def token(self) -> str | None:
        token = self.params.get("ClientRequestToken")
        return str(token) if token else None


@dataclass(frozen=True)
class Created:
    job_id: str
    new: bool
    """False when ClientRequestToken named an earlier, identical request."""


def _changed(result: Any) -> bool:
    """Whether a conditional UPDATE matched its row."""
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


class JobRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- gateway side -----------------------------------------------------------------------

    def create(self, job: NewJob) -> Created:
        fingerprint = params_hash(job.params)
        if job.token is not None:
            existing = self._by_token(job)
            if existing is not None:
                return self._same_request(existing, fingerprint)
        video = job.params["Video"]["S3Object"]
        channel = job.params.get("NotificationChannel") or {}
        row = VideoJob(
            job_id=uuid.uuid4().hex,
            account_id=job.account_id,
            region=job.region,
            kind=job.kind,
            client_request_token=job.token,
            params_hash=fingerprint,
            params=canonical(job.params),
            s3_bucket=video["Bucket"],
            s3_name=video["Name"],
            s3_version=video.get("Version"),
            job_tag=job.params.get("JobTag"),
            topic_arn=channel.get("SNSTopicArn"),
            status=IN_PROGRESS,
            progress=0.0,
            attempts=0,
            result_count=0,
        )
        try:
            with self.db.session() as session:
                session.add(row)
        except IntegrityError:
            existing = self._by_token(job)  # a concurrent request with the same token won
            if existing is None:
                raise
            return self._same_request(existing, fingerprint)
        return Created(row.job_id, new=True)

    def _by_token(self, job: NewJob) -> tuple[str, str] | None:
        with self.db.session() as session:
            row = session.execute(
                select(VideoJob.job_id, VideoJob.params_hash).where(
                    VideoJob.account_id == job.account_id,
                    VideoJob.kind == job.kind,
                    VideoJob.client_request_token == job.token,
                )
            ).first()
        return None if row is None else (row.job_id, row.params_hash)

    @staticmethod
    def _same_request(existing: tuple[str, str], fingerprint: str) -> Created:
        job_id, stored = existing
        if stored != fingerprint:
            raise IdempotentParameterMismatchException(
                "ClientRequestToken was used before with different parameters"
            )
        return Created(job_id, new=False)

    def get(self, job_id: str, account_id: str | None = None, kind: str | None = None) -> VideoJob:
        with self.db.session() as session:
            row = session.get(VideoJob, job_id)
        if row is None or (account_id is not None and row.account_id != account_id):
            raise ResourceNotFoundException(f"The job {job_id} was not found")
        if kind is not None and row.kind != kind:
            raise ResourceNotFoundException(f"The job {job_id} is not a {kind} job")
        return row

    def recent(self, account_id: str | None = None, limit: int = 100) -> list[VideoJob]:
        query = select(VideoJob).order_by(VideoJob.created_at.desc()).limit(limit)
        if account_id is not None:
            query = query.where(VideoJob.account_id == account_id)
        with self.db.session() as session:
            return list(session.scalars(query))

    def page(
        self,
        job_id: str,
        limit: int,
        by_key: bool,
        after: Sequence[Any] | None,
        view: View = View.TIMESTAMPS,
    ) -> tuple[list[dict[str, Any]], list[Any] | None]:
        """One page of a view's results in (time, seq) or (sort key, time, seq) order, and the
        last key when more follow. Keyset pagination: the indexes make every page equally cheap."""
        columns = (
            (VideoJobResult.sort_key, VideoJobResult.timestamp_ms, VideoJobResult.seq)
            if by_key
            else (VideoJobResult.timestamp_ms, VideoJobResult.seq)
        )
        query = select(VideoJobResult.item, *columns).where(
            VideoJobResult.job_id == job_id, VideoJobResult.aggregate == view.value
        )
        if after is not None:
            query = query.where(tuple_(*columns) > tuple_(*after))
        with self.db.session() as session:
            rows = session.execute(query.order_by(*columns).limit(limit + 1)).all()
        items = [row[0] for row in rows[:limit]]
        last = list(rows[limit - 1][1:]) if len(rows) > limit else None
        return items, last

    def items(
        self, job_id: str, by_key: bool, view: View = View.TIMESTAMPS, batch: int = READ_BATCH
    ) -> Iterator[dict[str, Any]]:
        """Every item of a view in page order, read ``batch`` at a time (memory stays bounded)."""
        after: list[Any] | None = None
        while True:
            page, after = self.page(job_id, batch, by_key, after, view)
            yield from page
            if after is None:
                return

    # -- worker side ------------------------------------------------------------------------

    def claim(self, job_id: str, worker_id: str, lease_ttl_s: float) -> bool:
        now = utcnow()
        with self.db.session() as session:
            claimed = _changed(
                session.execute(
                    update(VideoJob)
                    .where(
                        VideoJob.job_id == job_id,
                        VideoJob.status == IN_PROGRESS,
                        (VideoJob.worker_id.is_(None)) | (VideoJob.lease_expires_at < now),
                    )
                    .values(
                        worker_id=worker_id,
                        lease_expires_at=now + timedelta(seconds=lease_ttl_s),
                        attempts=VideoJob.attempts + 1,
                        progress=0.0,
                        result_count=0,
                        updated_at=now,
                    )
                )
            )
            if claimed:
                session.execute(delete(VideoJobResult).where(VideoJobResult.job_id == job_id))
        return bool(claimed)

    @staticmethod
    def _renew(session: Session, job_id: str, worker_id: str, lease_ttl_s: float, **values: Any) -> bool:
        now = utcnow()
        renewed = _changed(
            session.execute(
                update(VideoJob)
                .where(
                    VideoJob.job_id == job_id, VideoJob.worker_id == worker_id, VideoJob.status == IN_PROGRESS
                )
                .values(lease_expires_at=now + timedelta(seconds=lease_ttl_s), updated_at=now, **values)
            )
        )
        return bool(renewed)

    def renew(self, job_id: str, worker_id: str, lease_ttl_s: float, **values: Any) -> bool:
        """Extend the lease (and set ``values``); False when the worker no longer holds the job."""
        with self.db.session() as session:
            return self._renew(session, job_id, worker_id, lease_ttl_s, **values)

    def add_results(
        self,
        job_id: str,
        worker_id: str,
        lease_ttl_s: float,
        first_seq: int,
        items: Iterable[Mapping[str, Any]],
        progress: float,
        view: View = View.TIMESTAMPS,
    ) -> bool:
        """Insert items of a view numbered from ``first_seq`` (seq is unique across views), only
        while holding the lease (else False). ``result_count`` counts the TIMESTAMPS items."""
        rows = [
            {
                "job_id": job_id,
                "seq": first_seq + offset,
                "aggregate": view.value,
                "timestamp_ms": timestamp_of(item),
                "sort_key": sort_key_of(item),
                "item": dict(item),
            }
            for offset, item in enumerate(items)
        ]
        counted = {"result_count": first_seq + len(rows)} if view is View.TIMESTAMPS else {}
        with self.db.session() as session:
            held = self._renew(session, job_id, worker_id, lease_ttl_s, progress=progress, **counted)
            if not held:
                return False
            if rows:
                session.execute(insert(VideoJobResult), rows)
        return True

    def complete(
        self,
        job_id: str,
        worker_id: str | None,
        status: str,
        message: str | None = None,
        video_metadata: Mapping[str, Any] | None = None,
        response_fields: Mapping[str, Any] | None = None,
        finisher: Finisher | None = None,
    ) -> bool:
        """Move the job out of IN_PROGRESS once; ``worker_id`` None completes it whoever holds it
        (the sweeper failing a job that used up its attempts). False when it was done already."""
        now = utcnow()
        condition = [VideoJob.job_id == job_id, VideoJob.status == IN_PROGRESS]
        if worker_id is not None:
            condition.append(VideoJob.worker_id == worker_id)
        values: dict[str, Any] = {
            "status": status,
            "status_message": message,
            "completed_at": now,
            "updated_at": now,
            "lease_expires_at": None,
        }
        if status == SUCCEEDED:
            values["progress"] = 100.0
        if video_metadata is not None:
            values["video_metadata"] = dict(video_metadata)
        if response_fields is not None:
            values["response_fields"] = dict(response_fields)
        with self.db.session() as session:
            done = _changed(session.execute(update(VideoJob).where(*condition).values(**values)))
            if done and finisher is not None:
                finisher(session, session.get(VideoJob, job_id, populate_existing=True))  # type: ignore[arg-type]
        return bool(done)

    def expired(self, now: datetime | None = None, limit: int = 100) -> list[tuple[str, int]]:
        """(job id, attempts) of running jobs whose worker stopped renewing its lease."""
        moment = now or utcnow()
        with self.db.session() as session:
            rows = session.execute(
                select(VideoJob.job_id, VideoJob.attempts)
                .where(
                    VideoJob.status == IN_PROGRESS,
                    VideoJob.worker_id.is_not(None),
                    VideoJob.lease_expires_at < moment,
                )
                .limit(limit)
            ).all()
        return [(row.job_id, row.attempts) for row in rows]

    def unclaimed(self, older_than_s: float, limit: int = 100) -> list[str]:
        """Jobs waiting for a worker since more than ``older_than_s`` (enqueued or released then)."""
        cutoff = utcnow() - timedelta(seconds=older_than_s)
        with self.db.session() as session:
            rows = session.scalars(
                select(VideoJob.job_id)
                .where(
                    VideoJob.status == IN_PROGRESS,
                    VideoJob.worker_id.is_(None),
                    VideoJob.updated_at < cutoff,
                )
                .limit(limit)
            ).all()
        return list(rows)

    def touch_unclaimed(self, job_id: str, older_than_s: float) -> bool:
        """Restart a waiting job's clock before enqueueing it again; False when a worker claimed it
        or another sweeper touched it first."""
        now = utcnow()
        cutoff = now - timedelta(seconds=older_than_s)
        with self.db.session() as session:
            return _changed(
                session.execute(
                    update(VideoJob)
                    .where(
                        VideoJob.job_id == job_id,
                        VideoJob.status == IN_PROGRESS,
                        VideoJob.worker_id.is_(None),
                        VideoJob.updated_at < cutoff,
                    )
                    .values(updated_at=now)
                )
            )

    def release(self, job_id: str) -> bool:
        """Forget an expired lease so the job can be claimed again; False when someone else
        (another sweeper, or the worker itself) got there first."""
        now = utcnow()
        with self.db.session() as session:
            released = _changed(
                session.execute(
                    update(VideoJob)
                    .where(
                        VideoJob.job_id == job_id,
                        VideoJob.status == IN_PROGRESS,
                        VideoJob.lease_expires_at < now,
                    )
                    .values(worker_id=None, lease_expires_at=None, updated_at=now)
                )
            )
        return bool(released)

    def count_results(self, job_id: str, view: View | None = View.TIMESTAMPS) -> int:
        """Items of one view (None: of both)."""
        query = select(func.count()).where(VideoJobResult.job_id == job_id)
        if view is not None:
            query = query.where(VideoJobResult.aggregate == view.value)
        with self.db.session() as session:
            return int(session.scalar(query) or 0)
