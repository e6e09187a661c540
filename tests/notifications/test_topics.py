"""The topic and subscription repository, and the outbox job runners publish through."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.notifications import Delivery, Subscription
from argus.core.errors import AccessDeniedException, InvalidParameterException, ResourceNotFoundException
from argus.notifications import outbox, tokens, topics
from argus.notifications.states import CONFIRMED, PENDING, PENDING_CONFIRMATION
from tests.notifications.conftest import SECRET, make_settings

ACCOUNT = "111122223333"
RECEIVER = "http://127.0.0.1:9/sns"


def make_topic(db: Database, name: str = "jobs", account_id: str = ACCOUNT) -> str:
    with db.session() as session:
        return topics.create_topic(session, account_id=account_id, region="us-east-1", name=name).arn


def subscribe(
    db: Database, settings: Settings, topic_arn: str, endpoint: str = RECEIVER
) -> topics.Subscribed:
    with db.session() as session:
        return topics.subscribe(session, settings, topic_arn=topic_arn, endpoint=endpoint)


def deliveries(db: Database) -> list[Delivery]:
    with db.session() as session:
        return list(session.scalars(select(Delivery).order_by(Delivery.id)))


def test_a_topic_is_named_by_its_sns_arn_and_creating_it_again_returns_it(db: Database) -> None:
    first = make_topic(db)
    assert first == f"arn:aws:sns:us-east-1:{ACCOUNT}:jobs"
    assert make_topic(db) == first
    with db.session() as session:
        assert [t.arn for t in topics.list_topics(session, ACCOUNT)] == [first]
        assert outbox.topic_exists(session, first)
        assert not outbox.topic_exists(session, f"arn:aws:sns:us-east-1:{ACCOUNT}:other")


@pytest.mark.parametrize("name", ["", "has space", "a" * 257, "dots.not.allowed"])
def test_topic_names_follow_the_sns_rules(db: Database, name: str) -> None:
    with db.session() as session, pytest.raises(InvalidParameterException):
        topics.create_topic(session, account_id=ACCOUNT, region="us-east-1", name=name)


def test_accounts_see_only_their_own_topics(db: Database) -> None:
    arn = make_topic(db)
    make_topic(db, account_id="999999999999")
    with db.session() as session:
        assert [t.arn for t in topics.list_topics(session, ACCOUNT)] == [arn]
        with pytest.raises(ResourceNotFoundException):
            topics.delete_topic(session, arn, "999999999999")


def test_subscribing_queues_a_confirmation_carrying_the_token(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    done = subscribe(db, settings, arn)
    assert done.subscription.status == PENDING_CONFIRMATION
    assert done.subscription.protocol == "http"
    assert done.subscription.arn.startswith(arn + ":")
    assert done.token is not None and len(done.token) == 64
    assert done.subscription.token_sha256 == tokens.digest(done.token)  # only the digest is stored
    [queued] = deliveries(db)
    body = json.loads(queued.body)
    assert (queued.status, queued.message_type, queued.signed) == (PENDING, "SubscriptionConfirmation", False)
    assert body["Token"] == done.token
    assert body["SubscribeURL"].startswith("http://argus.test:8080/sns/confirm?Action=ConfirmSubscription&")
    assert f"Token={done.token}" in body["SubscribeURL"]


def test_a_loopback_endpoint_is_refused_unless_allow_listed(db: Database, database_url: str) -> None:
    arn = make_topic(db)
    strict = make_settings(database_url, allowed_networks=[])
    with pytest.raises(InvalidParameterException, match=r"127\.0\.0\.1"):
        subscribe(db, strict, arn)
    assert deliveries(db) == []


def test_a_wrong_token_does_not_confirm(db: Database, settings: Settings) -> None:
    done = subscribe(db, settings, make_topic(db))
    with db.session() as session, pytest.raises(InvalidParameterException, match="Invalid token"):
        topics.confirm(session, done.subscription.arn, "0" * 64)
    with db.session() as session:
        assert session.get(Subscription, done.subscription.arn).status == PENDING_CONFIRMATION  # type: ignore[union-attr]


def test_the_token_confirms_and_confirming_twice_is_harmless(db: Database, settings: Settings) -> None:
    done = subscribe(db, settings, make_topic(db))
    assert done.token is not None
    for _ in range(2):
        with db.session() as session:
            assert topics.confirm(session, done.subscription.arn, done.token).status == CONFIRMED


def test_a_token_older_than_three_days_no_longer_confirms(db: Database, settings: Settings) -> None:
    done = subscribe(db, settings, make_topic(db))
    assert done.token is not None
    with db.session() as session:
        pending = session.get(Subscription, done.subscription.arn)
        assert pending is not None
        pending.created_at = utcnow() - topics.CONFIRMATION_TOKEN_TTL - timedelta(minutes=1)
    with db.session() as session, pytest.raises(InvalidParameterException, match="expired"):
        topics.confirm(session, done.subscription.arn, done.token)
    with db.session() as session:
        assert session.get(Subscription, done.subscription.arn).status == PENDING_CONFIRMATION  # type: ignore[union-attr]


def test_publish_queues_one_notification_per_confirmed_subscription(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    confirmed = subscribe(db, settings, arn, "http://127.0.0.1:9/a")
    subscribe(db, settings, arn, "http://127.0.0.1:9/b")  # never confirmed
    assert confirmed.token is not None
    with db.session() as session:
        topics.confirm(session, confirmed.subscription.arn, confirmed.token)
    with db.session() as session:
        message_id = outbox.publish(session, topic_arn=arn, message='{"JobId":"j1"}', subject="done")
    [notification] = [d for d in deliveries(db) if d.message_type == "Notification"]
    body = json.loads(notification.body)
    assert notification.subscription_arn == confirmed.subscription.arn
    assert (body["MessageId"], body["Message"], body["Subject"], body["TopicArn"]) == (
        message_id,
        '{"JobId":"j1"}',
        "done",
        arn,
    )


def test_publish_belongs_to_the_callers_transaction(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    done = subscribe(db, settings, arn)
    assert done.token is not None
    with db.session() as session:
        topics.confirm(session, done.subscription.arn, done.token)
    with pytest.raises(RuntimeError), db.session() as session:
        outbox.publish(session, topic_arn=arn, message="lost with the job")
        raise RuntimeError("the job's transaction fails")
    assert [d.message_type for d in deliveries(db)] == ["SubscriptionConfirmation"]


def test_subscribing_again_returns_the_same_subscription(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    first = subscribe(db, settings, arn)
    again = subscribe(db, settings, arn)
    assert again.subscription.arn == first.subscription.arn
    assert again.token != first.token  # a pending subscription gets a fresh confirmation
    assert first.token is not None and again.token is not None
    with db.session() as session:
        topics.confirm(session, first.subscription.arn, again.token)
    assert subscribe(db, settings, arn).token is None  # confirmed: nothing new is sent


def test_the_unsubscribe_token_is_bound_to_the_subscription(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    one = subscribe(db, settings, arn, "http://127.0.0.1:9/one").subscription.arn
    two = subscribe(db, settings, arn, "http://127.0.0.1:9/two").subscription.arn
    secret = SECRET
    with db.session() as session, pytest.raises(AccessDeniedException):
        topics.unsubscribe_with_token(session, secret, one, tokens.unsubscribe_token(secret, two))
    with db.session() as session:
        topics.unsubscribe_with_token(session, secret, one, tokens.unsubscribe_token(secret, one))
    with db.session() as session:
        assert [s.arn for s in topics.list_subscriptions(session, topic_arn=arn)] == [two]
    assert {d.subscription_arn for d in deliveries(db)} == {two}


def test_deleting_a_topic_removes_its_subscriptions_and_queue(db: Database, settings: Settings) -> None:
    arn = make_topic(db)
    subscribe(db, settings, arn)
    with db.session() as session:
        topics.delete_topic(session, arn, ACCOUNT)
    with db.session() as session:
        assert not outbox.topic_exists(session, arn)
        assert topics.list_subscriptions(session) == []
    assert deliveries(db) == []
