"""SNS message bodies and the exact strings AWS signs (SNS developer guide, "Verifying the
signatures of Amazon SNS messages": name, newline, value, newline, in the documented order)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from argus.notifications import messages

TOPIC = "arn:aws:sns:us-west-2:123456789012:MyTopic"


def test_a_notification_signs_message_id_subject_timestamp_topic_and_type_in_that_order() -> None:
    body = messages.notification(
        topic_arn=TOPIC,
        message="Hello world!",
        subject="My First Message",
        message_id="22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        timestamp="2012-05-02T00:54:06.655Z",
    )
    assert messages.string_to_sign(body) == (
        "Message\nHello world!\n"
        "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
        "Subject\nMy First Message\n"
        "Timestamp\n2012-05-02T00:54:06.655Z\n"
        f"TopicArn\n{TOPIC}\n"
        "Type\nNotification\n"
    )


def test_a_notification_without_subject_leaves_the_subject_out() -> None:
    body = messages.notification(
        topic_arn=TOPIC, message='{"JobId":"1"}', message_id="m-1", timestamp="2026-01-01T00:00:00.000Z"
    )
    assert "Subject" not in body
    assert messages.string_to_sign(body) == (
        'Message\n{"JobId":"1"}\nMessageId\nm-1\nTimestamp\n2026-01-01T00:00:00.000Z\n'
        f"TopicArn\n{TOPIC}\nType\nNotification\n"
    )


def test_a_subscription_confirmation_signs_subscribe_url_and_token() -> None:
    body = messages.subscription_confirmation(
        topic_arn=TOPIC,
        token="2336412f37",
        subscribe_url="https://argus.example/sns/confirm?Token=2336412f37",
    )
    assert messages.string_to_sign(body) == (
        f"Message\n{body['Message']}\n"
        f"MessageId\n{body['MessageId']}\n"
        "SubscribeURL\nhttps://argus.example/sns/confirm?Token=2336412f37\n"
        f"Timestamp\n{body['Timestamp']}\n"
        "Token\n2336412f37\n"
        f"TopicArn\n{TOPIC}\n"
        "Type\nSubscriptionConfirmation\n"
    )


def test_timestamps_are_utc_iso8601_with_milliseconds() -> None:
    moment = datetime(2012, 4, 25, 21, 49, 25, 719_999, tzinfo=UTC)
    assert messages.sns_timestamp(moment) == "2012-04-25T21:49:25.719Z"


def test_an_unknown_message_type_has_no_string_to_sign() -> None:
    with pytest.raises(ValueError, match="Bogus"):
        messages.string_to_sign({"Type": "Bogus"})
