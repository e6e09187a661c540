"""Stored-video analysis jobs and their results (issue #5).

A job row is the single source of truth for a Start* request: its status, progress, the lease
of the worker running it, and what Get* echoes. Result items live in their own table, keyed
by (job, seq) and indexed on (view, timestamp, seq) and (view, sort key, timestamp, seq), so Get*
pages with keyset pagination however long the video is. The view is Get*'s AggregateBy: one
item per sampled frame (TIMESTAMPS) or one per continuous segment (SEGMENTS, label and
moderation jobs), both written by the worker before the job completes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from argus.core.db.models.base import Base, utcnow


class VideoJob(Base):
    __tablename__ = "video_jobs"
    __table_args__ = (
        # ClientRequestToken is scoped to the account and the Start* operation; NULLs never clash.
        UniqueConstraint("account_id", "kind", "client_request_token", name="uq_video_jobs_token"),
        Index("ix_video_jobs_status_lease", "status", "lease_expires_at"),
        Index("ix_video_jobs_account_created", "account_id", "created_at"),
    )

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32), doc="LabelDetection, FaceSearch, ...")
    client_request_token: Mapped[str | None] = mapped_column(String(64))
    params_hash: Mapped[str] = mapped_column(String(64), doc="sha256 of the canonical Start* parameters")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    s3_bucket: Mapped[str] = mapped_column(String(255))
    s3_name: Mapped[str] = mapped_column(String(1024))
    s3_version: Mapped[str | None] = mapped_column(String(1024))
    job_tag: Mapped[str | None] = mapped_column(String(256))
    topic_arn: Mapped[str | None] = mapped_column(String(1024))

    status: Mapped[str] = mapped_column(String(16), default="IN_PROGRESS")
    status_message: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[float] = mapped_column(Float, default=0.0, doc="percent of the video analyzed")
    video_metadata: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="VideoInfo as JSON")
    response_fields: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, doc="what the analyzer adds to Get* (model versions)"
    )

    worker_id: Mapped[str | None] = mapped_column(String(255))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, doc="times a worker claimed the job")
    result_count: Mapped[int] = mapped_column(BigInteger, default=0)

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VideoJobResult(Base):
    """One item of a Get* response list, stored as the JSON the response carries."""

    __tablename__ = "video_job_results"
    __table_args__ = (
        PrimaryKeyConstraint("job_id", "seq"),
        Index("ix_video_job_results_time", "job_id", "aggregate", "timestamp_ms", "seq"),
        Index("ix_video_job_results_key", "job_id", "aggregate", "sort_key", "timestamp_ms", "seq"),
    )

    job_id: Mapped[str] = mapped_column(ForeignKey("video_jobs.job_id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(BigInteger, doc="order the analyzer produced it in")
    aggregate: Mapped[str] = mapped_column(
        String(1), default="T", doc="the AggregateBy view: T (TIMESTAMPS) or S (SEGMENTS)"
    )
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    sort_key: Mapped[str] = mapped_column(String(255), doc="NAME, ID or INDEX value for SortBy")
    item: Mapped[dict[str, Any]] = mapped_column(JSON)
