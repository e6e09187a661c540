"""The dispatcher against a real loopback receiver, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from argus.core.auth.keys import SecretBox
from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.notifications import Delivery
from argus.notifications import outbox, signing, tokens, topics
from argus.notifications.delivery import Dispatcher
from argus.notifications.states import DELIVERED, FAILED, PENDING
from argus.notifications.targets import Resolver, system_resolver
from tests.notifications.conftest import SECRET, make_settings
from tests.support.sns_receiver import SnsReceiver, sns_receiver, verify_signature

ACCOUNT = "111122223333"
JOB_MESSAGE = json.dumps(
    {
        "JobId": "a1b2",
        "Status": "SUCCEEDED",
        "API": "StartLabelDetection",
        "JobTag": "nightly",
        "Timestamp": 1764081000000,
        "Video": {"S3ObjectName": "clip.mp4", "S3Bucket": "videos"},
    }
)


@pytest.fixture
def receiver() -> Iterator[SnsReceiver]:
    with sns_receiver(auto_confirm=False) as live:
        yield live


def dispatcher(db: Database, settings: Settings, resolver: Resolver = system_resolver) -> Dispatcher:
    box = SecretBox(SECRET)
    return Dispatcher(db, settings, lambda: signing.load_or_create(db, box), resolver=resolver)


def confirmed_topic(
    db: Database, settings: Settings, endpoint: str, resolver: Resolver = system_resolver
) -> str:
    """A topic with one confirmed subscription; its confirmation message is already dealt with."""
    with db.session() as session:
        arn = topics.create_topic(session, account_id=ACCOUNT, region="us-east-1", name="jobs").arn
        done = topics.subscribe(session, settings, topic_arn=arn, endpoint=endpoint, resolver=resolver)
        assert done.token is not None
        topics.confirm(session, done.subscription.arn, done.token)
        session.execute(update(Delivery).values(status=DELIVERED))
    return arn


def publish(db: Database, topic_arn: str, message: str = JOB_MESSAGE) -> str:
    with db.session() as session:
        return outbox.publish(session, topic_arn=topic_arn, message=message)


def rows(db: Database) -> list[Delivery]:
    with db.session() as session:
        return list(session.scalars(select(Delivery).where(Delivery.message_type == "Notification")))


def run_until(dispatch: Dispatcher, done: object, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dispatch.run_once()
        if callable(done) and done():
            return
        time.sleep(0.02)
    raise TimeoutError("the dispatcher did not get there")


def test_a_notification_arrives_signed_with_the_sns_headers(
    db: Database, settings: Settings, receiver: SnsReceiver
) -> None:
    topic_arn = confirmed_topic(db, settings, receiver.url)
    message_id = publish(db, topic_arn)
    assert dispatcher(db, settings).run_once() == 1
    [item] = receiver.messages("Notification")
    message = item.message
    [row] = rows(db)
    assert (row.status, row.attempts, row.last_status_code) == (DELIVERED, 1, 200)
    assert item.headers["x-amz-sns-message-type"] == "Notification"
    assert item.headers["x-amz-sns-message-id"] == message_id
    assert item.headers["x-amz-sns-topic-arn"] == topic_arn
    assert item.headers["x-amz-sns-subscription-arn"] == row.subscription_arn
    assert item.headers["content-type"] == "text/plain; charset=UTF-8"
    assert (message["Type"], message["MessageId"], message["TopicArn"]) == (
        "Notification",
        message_id,
        topic_arn,
    )
    assert json.loads(message["Message"])["Video"] == {"S3ObjectName": "clip.mp4", "S3Bucket": "videos"}
    assert message["SignatureVersion"] == "2"
    key_id = message["SigningCertURL"].rsplit("/", 1)[1].removesuffix(".pem")
    assert message["SigningCertURL"] == f"http://argus.test:8080/sns/certificates/{key_id}.pem"
    certificate = signing.certificate_pem(db, key_id)
    assert certificate is not None and verify_signature(message, certificate.encode())
    token = tokens.unsubscribe_token(SECRET, row.subscription_arn)
    assert message["UnsubscribeURL"].startswith("http://argus.test:8080/sns/unsubscribe?Action=Unsubscribe&")
    assert message["UnsubscribeURL"].endswith(f"Token={token}")
    assert item.raw.decode() == row.body  # what was sent is what the outbox row keeps


def test_signature_version_1_is_sha1_with_rsa(db: Database, database_url: str, receiver: SnsReceiver) -> None:
    settings = make_settings(database_url, signature_version="1")
    publish(db, confirmed_topic(db, settings, receiver.url))
    dispatcher(db, settings).run_once()
    [item] = receiver.messages("Notification")
    key_id = item.message["SigningCertURL"].rsplit("/", 1)[1].removesuffix(".pem")
    assert item.message["SignatureVersion"] == "1"
    assert verify_signature(item.message, signing.certificate_pem(db, key_id).encode())  # type: ignore[union-attr]


def test_a_receiver_that_is_down_gets_the_message_when_it_comes_back(
    db: Database, settings: Settings
) -> None:
    receiver = SnsReceiver()  # port reserved, nothing listening yet
    try:
        publish(db, confirmed_topic(db, settings, receiver.url))
        dispatch = dispatcher(db, settings)
        assert dispatch.run_once() == 1
        [row] = rows(db)
        assert (row.status, row.attempts) == (PENDING, 1)
        assert row.last_error is not None and "ConnectError" in row.last_error
        first_body = row.body
        receiver.come_up()
        run_until(dispatch, lambda: rows(db)[0].status == DELIVERED)
        [row] = rows(db)
        [item] = receiver.messages("Notification")
        assert row.attempts >= 2 and row.last_error is None
        assert item.raw.decode() == first_body  # signed once, the same bytes on every attempt
    finally:
        receiver.go_down()


def test_an_error_status_is_retried_until_max_attempts_then_failed(db: Database, database_url: str) -> None:
    settings = make_settings(database_url, max_attempts=3, backoff_base_s=0.01, backoff_cap_s=0.02)
    with sns_receiver(status_code=503, auto_confirm=False) as receiver:
        publish(db, confirmed_topic(db, settings, receiver.url))
        run_until(dispatcher(db, settings), lambda: rows(db)[0].status == FAILED)
        [row] = rows(db)
        assert (row.attempts, row.last_status_code, row.last_error) == (3, 503, "HTTP 503")
        assert len(receiver.messages("Notification")) == 3


def test_a_delivery_older_than_max_age_is_failed_instead_of_retried(db: Database, database_url: str) -> None:
    settings = make_settings(database_url, max_age_s=60.0)
    receiver = SnsReceiver()
    publish(db, confirmed_topic(db, settings, receiver.url))
    with db.session() as session:
        session.execute(update(Delivery).values(created_at=utcnow() - timedelta(seconds=61)))
    dispatcher(db, settings).run_once()
    [row] = rows(db)
    assert (row.status, row.attempts) == (FAILED, 1)


def test_a_claim_is_exclusive_until_its_lease_runs_out(db: Database, settings: Settings) -> None:
    receiver = SnsReceiver()
    topic_arn = confirmed_topic(db, settings, receiver.url)
    for n in range(5):
        publish(db, topic_arn, message=f"m{n}")
    first, second = dispatcher(db, settings), dispatcher(db, settings)
    assert len(first.claim()) == 5
    assert second.claim() == []
    with db.session() as session:  # the first dispatcher died; its lease expires
        session.execute(update(Delivery).values(claimed_until=utcnow() - timedelta(seconds=1)))
    assert len(second.claim()) == 5


def test_concurrent_dispatchers_never_claim_the_same_delivery(db: Database, database_url: str) -> None:
    settings = make_settings(database_url, batch_size=3)
    receiver = SnsReceiver()
    topic_arn = confirmed_topic(db, settings, receiver.url)
    for n in range(30):
        publish(db, topic_arn, message=f"m{n}")
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def drain() -> None:
        dispatch = dispatcher(db, settings)
        mine: list[int] = []
        while batch := dispatch.claim():
            mine.extend(d.id for d in batch)
        with lock:
            claimed.append(mine)

    threads = [threading.Thread(target=drain) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for mine in claimed for i in mine]
    assert sorted(every) == sorted(d.id for d in rows(db))
    assert len(every) == len(set(every)) == 30


def test_a_name_that_rebinds_to_loopback_after_subscribing_gets_nothing(
    db: Database, database_url: str, receiver: SnsReceiver
) -> None:
    strict = make_settings(database_url, allowed_networks=[])
    endpoint = f"http://rebind.test:{receiver.port}/sns"
    confirmed_topic(db, strict, endpoint, resolver=lambda host, port: ["93.184.215.14"])
    publish(db, topics.topic_arn("us-east-1", ACCOUNT, "jobs"))
    dispatcher(db, strict, resolver=lambda host, port: ["127.0.0.1"]).run_once()
    [row] = rows(db)
    assert receiver.messages() == []
    assert row.status == PENDING
    assert row.last_error is not None and row.last_error.startswith(
        "target refused: rebind.test resolves to 127.0.0.1"
    )


def test_the_request_goes_to_the_address_that_was_checked(
    db: Database, settings: Settings, receiver: SnsReceiver
) -> None:
    endpoint = f"http://hooks.test:{receiver.port}/sns"
    resolver: Resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
    publish(db, confirmed_topic(db, settings, endpoint, resolver=resolver))
    dispatcher(db, settings, resolver=resolver).run_once()
    [item] = receiver.messages("Notification")
    assert item.headers["host"] == f"hooks.test:{receiver.port}"
    assert item.path == "/sns"


def test_a_key_sealed_under_another_secret_is_reported_on_the_delivery(
    db: Database, settings: Settings, receiver: SnsReceiver
) -> None:
    signing.load_or_create(db, SecretBox("the-secret-the-key-was-made-with"))
    publish(db, confirmed_topic(db, settings, receiver.url))
    dispatcher(db, settings).run_once()
    [row] = rows(db)
    assert receiver.messages() == []
    assert (row.status, row.attempts, row.signed) == (PENDING, 1, False)
    assert row.last_error is not None and "different ARGUS_SECRET_KEY" in row.last_error
