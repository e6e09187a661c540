"""Custom Labels projects, project versions and the image workers that hold a version (issue #6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from argus.core.db.models.base import Base, utcnow


class CustomLabelsProject(Base):
    __tablename__ = "custom_labels_projects"
    __table_args__ = (
        Index("uq_custom_labels_projects_account_name", "account_id", "name", unique=True),
        {"sqlite_autoincrement": True},
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(255))
    arn: Mapped[str] = mapped_column(String(2048), unique=True)
    status: Mapped[str] = mapped_column(String(16), doc="CREATING, CREATED or DELETING")
    auto_update: Mapped[str] = mapped_column(String(16), default="DISABLED")
    tags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CustomLabelsVersion(Base):
    """A trained (or training) model of a project, and where it stands in its life cycle."""

    __tablename__ = "custom_labels_versions"
    __table_args__ = (
        Index("uq_custom_labels_versions_project_name", "project_pk", "name", unique=True),
        Index("ix_custom_labels_versions_status", "status"),
        {"sqlite_autoincrement": True},
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_pk: Mapped[int] = mapped_column(ForeignKey("custom_labels_projects.pk", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(255))
    arn: Mapped[str] = mapped_column(String(2048), unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(32))
    status_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # What CreateProjectVersion asked for (request shapes, kept as sent).
    output_config: Mapped[dict[str, Any]] = mapped_column(JSON)
    training_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    testing_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    tags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What training produced.
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True, doc="detection or classification")
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    thresholds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict, doc="label -> confidence 0-100")
    weights_key: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    f1_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    results: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, doc="TrainingDataResult, TestingDataResult, EvaluationResult, ManifestSummary"
    )
    billable_training_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    training_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    training_ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Durability: the training attempt holding the lease renews it; an expired lease is re-enqueued.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(255), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    epochs_done: Mapped[int] = mapped_column(Integer, default=0)
    checkpoint_key: Mapped[str | None] = mapped_column(String(1024), nullable=True)
    # Serving.
    min_inference_units: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_inference_units: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CustomLabelsReplica(Base):
    """An image worker that holds a version's model in memory (refreshed while it holds it)."""

    __tablename__ = "custom_labels_replicas"
    __table_args__ = (PrimaryKeyConstraint("version_pk", "worker_id"),)

    version_pk: Mapped[int] = mapped_column(ForeignKey("custom_labels_versions.pk", ondelete="CASCADE"))
    worker_id: Mapped[str] = mapped_column(String(255))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
