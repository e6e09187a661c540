"""Custom Labels projects and versions (issue #6)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custom_labels_projects",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("arn", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("auto_update", sa.String(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("arn"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("custom_labels_projects", schema=None) as batch_op:
        batch_op.create_index("uq_custom_labels_projects_account_name", ["account_id", "name"], unique=True)

    op.create_table(
        "custom_labels_versions",
        sa.Column("pk", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_pk", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("arn", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("output_config", sa.JSON(), nullable=False),
        sa.Column("training_data", sa.JSON(), nullable=False),
        sa.Column("testing_data", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("weights_key", sa.String(length=1024), nullable=True),
        sa.Column("f1_score", sa.Float(), nullable=True),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("billable_training_s", sa.Integer(), nullable=True),
        sa.Column("training_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("training_ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=255), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("epochs_done", sa.Integer(), nullable=False),
        sa.Column("checkpoint_key", sa.String(length=1024), nullable=True),
        sa.Column("min_inference_units", sa.Integer(), nullable=True),
        sa.Column("max_inference_units", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["project_pk"], ["custom_labels_projects.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("arn"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("custom_labels_versions", schema=None) as batch_op:
        batch_op.create_index("ix_custom_labels_versions_status", ["status"], unique=False)
        batch_op.create_index("uq_custom_labels_versions_project_name", ["project_pk", "name"], unique=True)

    op.create_table(
        "custom_labels_replicas",
        sa.Column("version_pk", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.String(length=255), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["version_pk"], ["custom_labels_versions.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("version_pk", "worker_id"),
    )


def downgrade() -> None:
    op.drop_table("custom_labels_replicas")
    with op.batch_alter_table("custom_labels_versions", schema=None) as batch_op:
        batch_op.drop_index("uq_custom_labels_versions_project_name")
        batch_op.drop_index("ix_custom_labels_versions_status")
    op.drop_table("custom_labels_versions")
    with op.batch_alter_table("custom_labels_projects", schema=None) as batch_op:
        batch_op.drop_index("uq_custom_labels_projects_account_name")
    op.drop_table("custom_labels_projects")
