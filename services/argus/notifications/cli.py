"""``argus topics``: manage SNS-style topics and subscriptions and read the delivery log.

Works on the configured database for the configured account (``ARGUS_ACCOUNT_ID``); prints
one JSON object a line. Delivery itself is the workers' job.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from argus.notifications import states

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from argus.core.config import Settings

T = TypeVar("T")


@contextmanager
def _session() -> Iterator[tuple[Settings, Session]]:
    from argus.cli import _settings
    from argus.core.db.engine import Database
    from argus.core.db.migrate import upgrade
    from argus.core.errors import AwsError

    settings = _settings()
    if settings.embedded:
        upgrade(settings.effective_database_url)
    db = Database(settings.effective_database_url)
    try:
        with db.session() as session:
            yield settings, session
    except AwsError as error:
        raise click.ClickException(error.message) from error
    finally:
        db.dispose()


def _run(work: Callable[[Settings, Session], T]) -> T:
    """Run ``work`` in one transaction of the configured database."""
    with _session() as (settings, session):
        return work(settings, session)


def _echo(payload: dict[str, Any]) -> None:
    click.echo(json.dumps(payload))


@click.group("topics")
def topics_group() -> None:
    """SNS-style topics for video job notifications (docs/notifications.md)."""


@topics_group.command("create")
@click.argument("name")
@click.option("--region", default=None, help="Defaults to ARGUS_S3_REGION.")
def create(name: str, region: str | None) -> None:
    """Create topic NAME (idempotent) and print its ARN."""
    from argus.notifications import topics

    def work(settings: Settings, session: Session) -> str:
        topic = topics.create_topic(
            session, account_id=settings.account_id, region=region or settings.s3_region, name=name
        )
        return topic.arn

    _echo({"TopicArn": _run(work)})


@topics_group.command("subscribe")
@click.argument("topic_arn")
@click.argument("url")
def subscribe(topic_arn: str, url: str) -> None:
    """Subscribe URL (http/https) to TOPIC_ARN; it receives a SubscriptionConfirmation."""
    from argus.notifications import topics

    def work(settings: Settings, session: Session) -> dict[str, str]:
        done = topics.subscribe(
            session, settings, topic_arn=topic_arn, endpoint=url, account_id=settings.account_id
        )
        return {"SubscriptionArn": done.subscription.arn, "Status": done.subscription.status}

    _echo(_run(work))


@topics_group.command("list")
def list_() -> None:
    """Show the account's topics with their subscriptions."""
    from argus.notifications import topics

    def work(settings: Settings, session: Session) -> list[dict[str, Any]]:
        return [
            {
                "TopicArn": topic.arn,
                "Subscriptions": [
                    {"SubscriptionArn": s.arn, "Endpoint": s.endpoint, "Status": s.status}
                    for s in topics.list_subscriptions(session, topic_arn=topic.arn)
                ],
            }
            for topic in topics.list_topics(session, settings.account_id)
        ]

    for entry in _run(work):
        _echo(entry)


@topics_group.command("unsubscribe")
@click.argument("subscription_arn")
def unsubscribe(subscription_arn: str) -> None:
    """Remove a subscription (and whatever is still queued for it)."""
    from argus.notifications import topics

    _run(lambda settings, session: topics.unsubscribe(session, subscription_arn, settings.account_id))
    _echo({"Unsubscribed": subscription_arn})


@topics_group.command("delete")
@click.argument("topic_arn")
def delete(topic_arn: str) -> None:
    """Delete a topic and its subscriptions."""
    from argus.notifications import topics

    _run(lambda settings, session: topics.delete_topic(session, topic_arn, settings.account_id))
    _echo({"Deleted": topic_arn})


@topics_group.command("deliveries")
@click.option("--status", type=click.Choice(states.DELIVERY_STATUSES), default=None)
@click.option("--limit", type=int, default=100, show_default=True)
def deliveries(status: str | None, limit: int) -> None:
    """The delivery log, newest first."""
    from argus.notifications import topics

    def work(settings: Settings, session: Session) -> list[dict[str, Any]]:
        return [
            {
                "Id": d.id,
                "SubscriptionArn": d.subscription_arn,
                "MessageType": d.message_type,
                "MessageId": d.message_id,
                "Status": d.status,
                "Attempts": d.attempts,
                "LastStatusCode": d.last_status_code,
                "LastError": d.last_error,
            }
            for d in topics.list_deliveries(
                session, status=status, account_id=settings.account_id, limit=limit
            )
        ]

    for entry in _run(work):
        _echo(entry)
