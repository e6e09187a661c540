"""stored-video jobs and their results (issue #5)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "video_jobs",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("client_request_token", sa.String(length=64), nullable=True),
        sa.Column("params_hash", sa.String(length=64), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("s3_bucket", sa.String(length=255), nullable=False),
        sa.Column("s3_name", sa.String(length=1024), nullable=False),
        sa.Column("s3_version", sa.String(length=1024), nullable=True),
        sa.Column("job_tag", sa.String(length=256), nullable=True),
        sa.Column("topic_arn", sa.String(length=1024), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("video_metadata", sa.JSON(), nullable=True),
        sa.Column("response_fields", sa.JSON(), nullable=True),
        sa.Column("worker_id", sa.String(length=255), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result_count", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job_id"),
        sa.UniqueConstraint("account_id", "kind", "client_request_token", name="uq_video_jobs_token"),
    )
    with op.batch_alter_table("video_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_video_jobs_account_created", ["account_id", "created_at"], unique=False)
        batch_op.create_index("ix_video_jobs_status_lease", ["status", "lease_expires_at"], unique=False)

    op.create_table(
        "video_job_results",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("aggregate", sa.String(length=1), nullable=False),
        sa.Column("timestamp_ms", sa.BigInteger(), nullable=False),
        sa.Column("sort_key", sa.String(length=255), nullable=False),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["video_jobs.job_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "seq"),
    )
    with op.batch_alter_table("video_job_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_video_job_results_key",
            ["job_id", "aggregate", "sort_key", "timestamp_ms", "seq"],
            unique=False,
        )
        batch_op.create_index(
            "ix_video_job_results_time", ["job_id", "aggregate", "timestamp_ms", "seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("video_job_results", schema=None) as batch_op:
        batch_op.drop_index("ix_video_job_results_time")
        batch_op.drop_index("ix_video_job_results_key")
    op.drop_table("video_job_results")
    with op.batch_alter_table("video_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_video_jobs_status_lease")
        batch_op.drop_index("ix_video_jobs_account_created")
    op.drop_table("video_jobs")
