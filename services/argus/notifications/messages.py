"""SNS HTTP message bodies and the exact strings AWS signs.

Reference: AWS SNS developer guide, "Verifying the signatures of Amazon SNS messages" and
"Parsing message formats". A receiver builds the string to sign from the JSON fields
(name, newline, value, newline, in a fixed order, optional ``Subject`` only when present)
and checks ``Signature`` with the certificate at ``SigningCertURL``: SignatureVersion "1"
is SHA1withRSA, "2" is SHA256withRSA (PKCS#1 v1.5).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

NOTIFICATION = "Notification"
SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation"
UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation"

SignatureVersion = Literal["1", "2"]

NOTIFICATION_FIELDS: tuple[str, ...] = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_FIELDS: tuple[str, ...] = (
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
)


def sns_timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 in UTC with milliseconds, as SNS writes it (``2012-04-25T21:49:25.719Z``)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_message_id() -> str:
    return str(uuid.uuid4())


def notification(
    *,
    topic_arn: str,
    message: str,
    subject: str | None = None,
    message_id: str | None = None,
    timestamp: str | None = None,
) -> dict[str, str]:
    """The unsigned fields of a Notification (UnsubscribeURL and signature come at delivery)."""
    body = {
        "Type": NOTIFICATION,
        "MessageId": message_id or new_message_id(),
        "TopicArn": topic_arn,
        "Message": message,
        "Timestamp": timestamp or sns_timestamp(),
    }
    if subject is not None:
        body["Subject"] = subject
    return body


def subscription_confirmation(*, topic_arn: str, token: str, subscribe_url: str) -> dict[str, str]:
    """The unsigned fields of a SubscriptionConfirmation."""
    return {
        "Type": SUBSCRIPTION_CONFIRMATION,
        "MessageId": new_message_id(),
        "Token": token,
        "TopicArn": topic_arn,
        "Message": (
            f"You have chosen to subscribe to the topic {topic_arn}.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message."
        ),
        "SubscribeURL": subscribe_url,
        "Timestamp": sns_timestamp(),
    }


def string_to_sign(body: dict[str, str]) -> str:
    """The canonical string AWS signs for this message type."""
    kind = body["Type"]
    if kind == NOTIFICATION:
        fields = NOTIFICATION_FIELDS
    elif kind in (SUBSCRIPTION_CONFIRMATION, UNSUBSCRIBE_CONFIRMATION):
        fields = CONFIRMATION_FIELDS
    else:
        raise ValueError(f"unknown SNS message type {kind!r}")
    parts = []
    for name in fields:
        if name == "Subject" and body.get("Subject") is None:
            continue
        parts.append(f"{name}\n{body[name]}\n")
    return "".join(parts)
