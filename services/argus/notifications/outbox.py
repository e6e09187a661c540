"""What job runners call to notify a topic. Deliveries are rows written in the caller's
transaction (an outbox), so a completed job and its notification commit together."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from argus.core.db.models.base import utcnow
from argus.core.db.models.notifications import Delivery, Subscription, Topic
from argus.notifications import messages
from argus.notifications.states import CONFIRMED, PENDING


def topic_exists(session: Session, topic_arn: str) -> bool:
    """Whether Argus hosts this topic (``arn:aws:sns:<region>:<account>:<name>``)."""
    return session.get(Topic, topic_arn) is not None


def publish(session: Session, *, topic_arn: str, message: str, subject: str | None = None) -> str:
    """Queue a Notification carrying ``message`` to every confirmed subscription of the topic.

    Returns the MessageId (shared by every subscription's copy, as in SNS). Nothing is sent
    here: the worker dispatchers deliver the rows once the caller's transaction commits.
    """
    body = messages.notification(topic_arn=topic_arn, message=message, subject=subject)
    arns = session.scalars(
        select(Subscription.arn).where(Subscription.topic_arn == topic_arn, Subscription.status == CONFIRMED)
    ).all()
    for subscription_arn in arns:
        enqueue(session, subscription_arn=subscription_arn, topic_arn=topic_arn, body=body)
    return body["MessageId"]


def enqueue(session: Session, *, subscription_arn: str, topic_arn: str, body: dict[str, str]) -> Delivery:
    """Add one delivery row (due now) for a message body that is not signed yet."""
    now = utcnow()
    delivery = Delivery(
        subscription_arn=subscription_arn,
        topic_arn=topic_arn,
        message_type=body["Type"],
        message_id=body["MessageId"],
        body=json.dumps(body),
        signed=False,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(delivery)
    return delivery
