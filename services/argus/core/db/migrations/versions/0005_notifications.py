"""SNS-style topics, subscriptions and deliveries (issue #5)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sns_topics",
        sa.Column("arn", sa.String(length=320), nullable=False),
        sa.Column("account_id", sa.String(length=12), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("arn"),
    )
    op.create_table(
        "sns_signing_keys",
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("slot", sa.String(length=32), nullable=False),
        sa.Column("private_key_ciphertext", sa.Text(), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key_id"),
        sa.UniqueConstraint("slot"),
    )
    op.create_table(
        "sns_subscriptions",
        sa.Column("arn", sa.String(length=400), nullable=False),
        sa.Column("topic_arn", sa.String(length=320), nullable=False),
        sa.Column("protocol", sa.String(length=8), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["topic_arn"], ["sns_topics.arn"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("arn"),
    )
    with op.batch_alter_table("sns_subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_sns_subscriptions_topic_arn", ["topic_arn"], unique=False)

    op.create_table(
        "sns_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subscription_arn", sa.String(length=400), nullable=False),
        sa.Column("topic_arn", sa.String(length=320), nullable=False),
        sa.Column("message_type", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["subscription_arn"], ["sns_subscriptions.arn"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sns_deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_sns_deliveries_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_sns_deliveries_subscription_arn", ["subscription_arn"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sns_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_sns_deliveries_subscription_arn")
        batch_op.drop_index("ix_sns_deliveries_due")
    op.drop_table("sns_deliveries")
    with op.batch_alter_table("sns_subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_sns_subscriptions_topic_arn")
    op.drop_table("sns_subscriptions")
    op.drop_table("sns_signing_keys")
    op.drop_table("sns_topics")
