"""SNS-style topics, subscriptions and durable notification deliveries (issue #5)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from argus.core.db.models.base import Base, utcnow


class Topic(Base):
    """A topic hosted by Argus, named by its ARN ``arn:aws:sns:<region>:<account>:<name>``."""

    __tablename__ = "sns_topics"

    arn: Mapped[str] = mapped_column(String(320), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Subscription(Base):
    """An HTTP/HTTPS endpoint subscribed to a topic.

    Only the SHA-256 of the confirmation token is kept here; the token itself travels in the
    SubscriptionConfirmation message (and its outbox row), like the one AWS sends.
    """

    __tablename__ = "sns_subscriptions"

    arn: Mapped[str] = mapped_column(String(400), primary_key=True)
    topic_arn: Mapped[str] = mapped_column(
        String(320), ForeignKey("sns_topics.arn", ondelete="CASCADE"), index=True
    )
    protocol: Mapped[str] = mapped_column(String(8))
    endpoint: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(32))
    token_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Delivery(Base):
    """One message to one subscription (an outbox row), delivered by the worker dispatchers.

    ``body`` is the SNS JSON document; once ``signed`` it is exactly the bytes every attempt
    POSTs. ``claimed_by``/``claimed_until`` let several dispatchers share the table safely.
    """

    __tablename__ = "sns_deliveries"
    __table_args__ = (Index("ix_sns_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_arn: Mapped[str] = mapped_column(
        String(400), ForeignKey("sns_subscriptions.arn", ondelete="CASCADE"), index=True
    )
    topic_arn: Mapped[str] = mapped_column(String(320))
    message_type: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(36))
    body: Mapped[str] = mapped_column(Text)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class SigningKey(Base):
    """The RSA key that signs messages (encrypted under the settings secret) and its certificate.

    ``slot`` is unique so that concurrent processes creating the key lazily agree on one.
    """

    __tablename__ = "sns_signing_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[str] = mapped_column(String(32), unique=True)
    private_key_ciphertext: Mapped[str] = mapped_column(Text)
    certificate_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
