"""The dispatcher: claims due deliveries and POSTs them to their subscribers.

Every worker process runs one (see :mod:`argus.notifications.worker`). A claim is one atomic
UPDATE that stamps due, unclaimed rows with a claim id and a lease (``claimed_until``); only
that dispatcher then works on them, and a row whose dispatcher died becomes due again when the
lease runs out. Each attempt re-checks the target policy and connects to the address it just
checked. A 2xx answer marks the row delivered; anything else schedules a retry with backoff
until ``max_attempts`` or ``max_age_s`` is reached, then the row is failed. Every attempt is
logged and the last error is kept on the row.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import or_, select, update

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.notifications import Delivery, Subscription
from argus.notifications import messages, tokens, urls
from argus.notifications.backoff import retry_delay
from argus.notifications.signing import Signer, SigningKeyUnreadable
from argus.notifications.states import DELIVERED, FAILED, PENDING
from argus.notifications.targets import Resolver, TargetRefused, system_resolver, vet

log = logging.getLogger(__name__)

USER_AGENT = "Amazon Simple Notification Service Agent"
MAX_ERROR_CHARS = 500


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Claimed:
    id: int
    claim_id: str
    subscription_arn: str
    topic_arn: str
    message_type: str
    message_id: str
    body: str
    signed: bool
    attempts: int
    created_at: datetime
    endpoint: str


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str | None = None


class Dispatcher:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        signer: Callable[[], Signer],
        *,
        resolver: Resolver = system_resolver,
        name: str | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if settings.secret_key is None:
            raise ValueError("ARGUS_SECRET_KEY is required to sign notifications")
        self.db = db
        self.settings = settings
        self.config = settings.notifications
        self._signer = signer
        self._secret = settings.secret_key.get_secret_value()
        self.resolver = resolver
        self.name = name or f"dispatcher-{uuid.uuid4().hex[:12]}"
        self.rng = rng or random.Random()
        self.client = httpx.Client(timeout=self.config.request_timeout_s, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    # -- one round -------------------------------------------------------------------------

    def run_once(self) -> int:
        """Claim what is due, attempt each; the number of deliveries attempted."""
        claimed = self.claim()
        for delivery in claimed:
            self.attempt(delivery)
        return len(claimed)

    def claim(self) -> list[Claimed]:
        now = utcnow()
        claim_id = f"{self.name}:{uuid.uuid4().hex[:8]}"
        claimable = (
            Delivery.status == PENDING,
            Delivery.next_attempt_at <= now,
            or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
        )
        due = (
            select(Delivery.id)
            .where(*claimable)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(self.config.batch_size)
            .with_for_update(skip_locked=True)
        )
        with self.db.session() as session:
            # A read first: idle rounds then take no write lock (SQLite has one for the file).
            if session.scalar(select(Delivery.id).where(*claimable).limit(1)) is None:
                return []
            session.execute(
                update(Delivery)
                .where(Delivery.id.in_(due.scalar_subquery()), *claimable)
                .values(claimed_by=claim_id, claimed_until=now + timedelta(seconds=self.config.claim_lease_s))
                .execution_options(synchronize_session=False)
            )
        with self.db.session() as session:
            rows = session.execute(
                select(Delivery, Subscription.endpoint)
                .join(Subscription, Subscription.arn == Delivery.subscription_arn)
                .where(Delivery.claimed_by == claim_id)
                .order_by(Delivery.id)
            ).all()
            return [
                Claimed(
                    id=row.id,
                    claim_id=claim_id,
                    subscription_arn=row.subscription_arn,
                    topic_arn=row.topic_arn,
                    message_type=row.message_type,
                    message_id=row.message_id,
                    body=row.body,
                    signed=row.signed,
                    attempts=row.attempts,
                    created_at=aware(row.created_at),
                    endpoint=endpoint,
                )
                for row, endpoint in rows
            ]

    def attempt(self, delivery: Claimed) -> Outcome:
        try:
            body = delivery.body if delivery.signed else self.render(delivery)
        except SigningKeyUnreadable as error:
            body, outcome = delivery.body, Outcome(False, error=str(error))
        else:
            outcome = self.post(delivery, body)
        signed = delivery.signed or body != delivery.body
        attempts = delivery.attempts + 1
        now = utcnow()
        values: dict[str, object] = {
            "body": body,
            "signed": signed,
            "attempts": attempts,
            "claimed_by": None,
            "claimed_until": None,
            "last_status_code": outcome.status_code,
            "last_error": outcome.error,
            "updated_at": now,
        }
        if outcome.delivered:
            values.update(status=DELIVERED, delivered_at=now)
            log.info(
                "delivered %s %s to %s (attempt %d, HTTP %s)",
                delivery.message_type,
                delivery.message_id,
                delivery.endpoint,
                attempts,
                outcome.status_code,
            )
        else:
            delay = retry_delay(attempts, self.config.backoff_base_s, self.config.backoff_cap_s, self.rng)
            next_at = now + timedelta(seconds=delay)
            expired = next_at - delivery.created_at > timedelta(seconds=self.config.max_age_s)
            if attempts >= self.config.max_attempts or expired:
                values.update(status=FAILED)
                log.warning(
                    "gave up on %s %s to %s after %d attempts: %s",
                    delivery.message_type,
                    delivery.message_id,
                    delivery.endpoint,
                    attempts,
                    outcome.error,
                )
            else:
                values.update(next_attempt_at=next_at)
                log.info(
                    "attempt %d of %s %s to %s failed (%s); retrying in %.1fs",
                    attempts,
                    delivery.message_type,
                    delivery.message_id,
                    delivery.endpoint,
                    outcome.error,
                    delay,
                )
        with self.db.session() as session:
            session.execute(
                update(Delivery)
                .where(Delivery.id == delivery.id, Delivery.claimed_by == delivery.claim_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        return outcome

    # -- pieces ----------------------------------------------------------------------------

    def render(self, delivery: Claimed) -> str:
        """The signed JSON document for a queued message (stable across retries once stored)."""
        fields: dict[str, str] = json.loads(delivery.body)
        signer = self._signer()
        if fields["Type"] == messages.NOTIFICATION:
            token = tokens.unsubscribe_token(self._secret, delivery.subscription_arn)
            unsubscribe = urls.unsubscribe_url(self.settings, delivery.subscription_arn, token)
        signer.sign(fields, self.config.signature_version, urls.certificate_url(self.settings, signer.key_id))
        if fields["Type"] == messages.NOTIFICATION:
            fields["UnsubscribeURL"] = unsubscribe
        return json.dumps(fields)

    def post(self, delivery: Claimed, body: str) -> Outcome:
        try:
            target = vet(delivery.endpoint, self.config.allowed_networks, self.resolver)
        except TargetRefused as error:
            return Outcome(False, error=f"target refused: {error}"[:MAX_ERROR_CHARS])
        headers = {
            "Host": target.host_header,
            "Content-Type": "text/plain; charset=UTF-8",
            "User-Agent": USER_AGENT,
            "x-amz-sns-message-type": delivery.message_type,
            "x-amz-sns-message-id": delivery.message_id,
            "x-amz-sns-topic-arn": delivery.topic_arn,
        }
        if delivery.message_type == messages.NOTIFICATION:
            headers["x-amz-sns-subscription-arn"] = delivery.subscription_arn
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        try:
            response = self.client.post(
                target.pinned_url, content=body.encode(), headers=headers, extensions=extensions
            )
        except httpx.HTTPError as error:
            return Outcome(False, error=f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS])
        if 200 <= response.status_code < 300:
            return Outcome(True, status_code=response.status_code)
        return Outcome(False, status_code=response.status_code, error=f"HTTP {response.status_code}")

    # -- the loop --------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; errors are logged and the loop goes on."""
        log.info("notification dispatcher %s polling every %ss", self.name, self.config.poll_interval_s)
        while not stop.is_set():
            try:
                busy = self.run_once() > 0
            except Exception:
                log.exception("notification dispatcher round failed")
                busy = False
            if not busy:
                stop.wait(self.config.poll_interval_s)
