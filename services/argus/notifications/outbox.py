"""What job runners call to notify a topic. Deliveries are rows written in the caller's
transaction (an outbox), so a completed job and its notification commit together."""

from __future__ import annotations

from sqlalchemy.orm import Session


def topic_exists(session: Session, topic_arn: str) -> bool:
    """Whether Argus hosts this topic (``arn:aws:sns:<region>:<account>:<name>``)."""
    raise NotImplementedError


def publish(session: Session, *, topic_arn: str, message: str, subject: str | None = None) -> None:
    """Queue a Notification carrying ``message`` to every confirmed subscription of the topic."""
    raise NotImplementedError
