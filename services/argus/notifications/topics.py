"""Topics and subscriptions: create, list, delete, subscribe, confirm, unsubscribe.

Functions take the caller's session (one transaction) and raise the AWS-shaped errors the
admin API answers with. Subscribing queues a signed SubscriptionConfirmation, as SNS does;
only confirmed subscriptions receive notifications.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from argus.core.config import Settings
from argus.core.db.models.base import utcnow
from argus.core.db.models.notifications import Delivery, Subscription, Topic
from argus.core.errors import AccessDeniedException, InvalidParameterException, ResourceNotFoundException
from argus.notifications import messages, tokens, urls
from argus.notifications.outbox import enqueue
from argus.notifications.states import CONFIRMED, DELIVERY_STATUSES, PENDING_CONFIRMATION
from argus.notifications.targets import Resolver, TargetRefused, system_resolver, vet

TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
TOPIC_ARN = re.compile(
    r"^arn:aws:sns:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):(?P<name>[A-Za-z0-9_-]{1,256})$"
)


def topic_arn(region: str, account_id: str, name: str) -> str:
    return f"arn:aws:sns:{region}:{account_id}:{name}"


@dataclass(frozen=True)
class Subscribed:
    subscription: Subscription
    token: str | None  # the confirmation token sent, None when it was already confirmed


def create_topic(session: Session, *, account_id: str, region: str, name: str) -> Topic:
    """Create the topic, or return it when it exists (CreateTopic is idempotent in SNS)."""
    if not TOPIC_NAME.match(name):
        raise InvalidParameterException(
            "Topic names must be 1 to 256 characters: letters, digits, hyphens and underscores."
        )
    if not REGION.match(region):
        raise InvalidParameterException(f"{region!r} is not a region name such as us-east-1.")
    arn = topic_arn(region, account_id, name)
    topic = session.get(Topic, arn)
    if topic is None:
        topic = Topic(arn=arn, account_id=account_id, region=region, name=name, created_at=utcnow())
        session.add(topic)
        session.flush()
    return topic


def get_topic(session: Session, arn: str, account_id: str | None = None) -> Topic:
    topic = session.get(Topic, arn)
    if topic is None or (account_id is not None and topic.account_id != account_id):
        raise ResourceNotFoundException(f"Topic {arn} does not exist.")
    return topic


def list_topics(session: Session, account_id: str | None = None) -> Sequence[Topic]:
    query = select(Topic).order_by(Topic.arn)
    if account_id is not None:
        query = query.where(Topic.account_id == account_id)
    return session.scalars(query).all()


def delete_topic(session: Session, arn: str, account_id: str | None = None) -> None:
    """Delete the topic, its subscriptions and their queued deliveries."""
    topic = get_topic(session, arn, account_id)
    subscriptions = select(Subscription.arn).where(Subscription.topic_arn == arn)
    session.execute(delete(Delivery).where(Delivery.subscription_arn.in_(subscriptions)))
    session.execute(delete(Subscription).where(Subscription.topic_arn == arn))
    session.delete(topic)


def subscribe(
    session: Session,
    settings: Settings,
    *,
    topic_arn: str,
    endpoint: str,
    account_id: str | None = None,
    resolver: Resolver = system_resolver,
) -> Subscribed:
    """Subscribe an HTTP/HTTPS endpoint and queue its SubscriptionConfirmation.

    The endpoint must pass the target policy now (and again at every delivery). Subscribing the
    same endpoint again returns the existing subscription; a pending one gets a fresh token.
    """
    get_topic(session, topic_arn, account_id)
    try:
        protocol = vet(endpoint, settings.notifications.allowed_networks, resolver).scheme
    except TargetRefused as error:
        raise InvalidParameterException(f"Invalid parameter: Endpoint: {error}") from error
    subscription = session.scalar(
        select(Subscription).where(Subscription.topic_arn == topic_arn, Subscription.endpoint == endpoint)
    )
    if subscription is not None and subscription.status == CONFIRMED:
        return Subscribed(subscription, None)
    token = tokens.new_confirmation_token()
    if subscription is None:
        subscription = Subscription(
            arn=f"{topic_arn}:{uuid.uuid4()}",
            topic_arn=topic_arn,
            protocol=protocol,
            endpoint=endpoint,
            status=PENDING_CONFIRMATION,
            token_sha256=tokens.digest(token),
            created_at=utcnow(),
        )
        session.add(subscription)
        session.flush()
    else:
        subscription.token_sha256 = tokens.digest(token)
    body = messages.subscription_confirmation(
        topic_arn=topic_arn,
        token=token,
        subscribe_url=urls.subscribe_url(settings, subscription.arn, token),
    )
    enqueue(session, subscription_arn=subscription.arn, topic_arn=topic_arn, body=body)
    return Subscribed(subscription, token)


def get_subscription(session: Session, arn: str, account_id: str | None = None) -> Subscription:
    subscription = session.get(Subscription, arn)
    if (
        subscription is not None
        and account_id is not None
        and get_topic(session, subscription.topic_arn).account_id != account_id
    ):
        subscription = None
    if subscription is None:
        raise ResourceNotFoundException(f"Subscription {arn} does not exist.")
    return subscription


CONFIRMATION_TOKEN_TTL = timedelta(days=3)
"""As in SNS, a SubscriptionConfirmation's token confirms for three days; then subscribe again."""


def confirm(session: Session, arn: str, token: str) -> Subscription:
    """Confirm a subscription with the token its SubscriptionConfirmation carried."""
    subscription = session.get(Subscription, arn)
    if subscription is None:
        raise ResourceNotFoundException(f"Subscription {arn} does not exist.")
    if subscription.status != CONFIRMED:
        if not tokens.confirmation_matches(token, subscription.token_sha256):
            raise InvalidParameterException("Invalid token")
        created = subscription.created_at
        if utcnow() - (created if created.tzinfo else created.replace(tzinfo=UTC)) > CONFIRMATION_TOKEN_TTL:
            raise InvalidParameterException(
                "Invalid token: it expired three days after the subscription; subscribe again for a new one"
            )
        subscription.status = CONFIRMED
        subscription.confirmed_at = utcnow()
    return subscription


def unsubscribe(session: Session, arn: str, account_id: str | None = None) -> None:
    """Remove a subscription and whatever is still queued for it."""
    subscription = get_subscription(session, arn, account_id)
    session.execute(delete(Delivery).where(Delivery.subscription_arn == arn))
    session.delete(subscription)


def unsubscribe_with_token(session: Session, secret_key: str, arn: str, token: str) -> None:
    """The UnsubscribeURL: only a token Argus minted for this subscription works."""
    if not tokens.unsubscribe_matches(secret_key, arn, token):
        raise AccessDeniedException("The unsubscribe token is not valid for this subscription.")
    unsubscribe(session, arn)


def list_subscriptions(
    session: Session, *, topic_arn: str | None = None, account_id: str | None = None
) -> Sequence[Subscription]:
    query = select(Subscription).order_by(Subscription.created_at, Subscription.arn)
    if topic_arn is not None:
        get_topic(session, topic_arn, account_id)
        query = query.where(Subscription.topic_arn == topic_arn)
    elif account_id is not None:
        query = query.join(Topic, Topic.arn == Subscription.topic_arn).where(Topic.account_id == account_id)
    return session.scalars(query).all()


def list_deliveries(
    session: Session, *, status: str | None = None, account_id: str | None = None, limit: int = 100
) -> Sequence[Delivery]:
    """The newest deliveries first (the delivery log), optionally of one status."""
    if status is not None and status not in DELIVERY_STATUSES:
        raise InvalidParameterException(f"status must be one of {', '.join(DELIVERY_STATUSES)}")
    query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Delivery.status == status)
    if account_id is not None:
        query = query.join(Topic, Topic.arn == Delivery.topic_arn).where(Topic.account_id == account_id)
    return session.scalars(query).all()
