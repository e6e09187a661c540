"""Database access for Custom Labels: projects, versions, training leases and serving replicas.

Every state change that races another process is one conditional UPDATE (compare-and-set on the
status and, for training, on the lease owner), so two workers can never both win it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.custom_labels import CustomLabelsProject, CustomLabelsReplica, CustomLabelsVersion
from argus.core.errors import ResourceNotFoundException
from argus.custom_labels.states import SERVED, VersionStatus


def find_project(session: Session, account_id: str, arn: str) -> CustomLabelsProject:
    project = session.scalar(
        select(CustomLabelsProject).where(
            CustomLabelsProject.account_id == account_id, CustomLabelsProject.arn == arn
        )
    )
    if project is None:
        raise ResourceNotFoundException(f"The project {arn} does not exist")
    return project


def list_projects(
    session: Session, account_id: str, names: Sequence[str] | None, after: str | None, limit: int
) -> list[CustomLabelsProject]:
    """Projects by name, ``limit + 1`` of them (the extra one says another page exists)."""
    query = select(CustomLabelsProject).where(CustomLabelsProject.account_id == account_id)
    if names:
        query = query.where(CustomLabelsProject.name.in_(list(names)))
    if after is not None:
        query = query.where(CustomLabelsProject.name > after)
    return list(session.scalars(query.order_by(CustomLabelsProject.name).limit(limit + 1)))


def count_versions(session: Session, project_pk: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(CustomLabelsVersion)
            .where(CustomLabelsVersion.project_pk == project_pk)
        )
        or 0
    )


def find_version(session: Session, account_id: str, arn: str) -> CustomLabelsVersion:
    version = session.scalar(
        select(CustomLabelsVersion).where(
            CustomLabelsVersion.account_id == account_id, CustomLabelsVersion.arn == arn
        )
    )
    if version is None:
        raise ResourceNotFoundException(f"The project version {arn} does not exist")
    return version


def version_by_pk(session: Session, pk: int) -> CustomLabelsVersion | None:
    return session.get(CustomLabelsVersion, pk)


def list_versions(
    session: Session, project_pk: int, names: Sequence[str] | None, before_pk: int | None, limit: int
) -> list[CustomLabelsVersion]:
    """Newest first (primary keys grow with creation), ``limit + 1`` of them."""
    query = select(CustomLabelsVersion).where(CustomLabelsVersion.project_pk == project_pk)
    if names:
        query = query.where(CustomLabelsVersion.name.in_(list(names)))
    if before_pk is not None:
        query = query.where(CustomLabelsVersion.pk < before_pk)
    return list(session.scalars(query.order_by(CustomLabelsVersion.pk.desc()).limit(limit + 1)))


def move(session: Session, pk: int, expected: Sequence[str], target: VersionStatus, **values: Any) -> bool:
    """Compare-and-set the status of a version; True when it was in ``expected`` and moved."""
    result = session.execute(
        update(CustomLabelsVersion)
        .where(CustomLabelsVersion.pk == pk, CustomLabelsVersion.status.in_(list(expected)))
        .values(status=target.value, **values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# Training leases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    attempt: int
    epochs_done: int
    checkpoint_key: str | None


def claim_training(db: Database, pk: int, owner: str, ttl_s: float) -> Claim | None:
    """Take the training lease of a version that trains and whose lease is free or expired."""
    now = utcnow()
    with db.session() as session:
        result = session.execute(
            update(CustomLabelsVersion)
            .where(
                CustomLabelsVersion.pk == pk,
                CustomLabelsVersion.status == VersionStatus.TRAINING_IN_PROGRESS.value,
                (CustomLabelsVersion.lease_owner.is_(None)) | (CustomLabelsVersion.lease_expires_at < now),
            )
            .values(
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=ttl_s),
                attempts=CustomLabelsVersion.attempts + 1,
                training_started_at=func.coalesce(CustomLabelsVersion.training_started_at, now),
            )
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            return None
        version = session.get(CustomLabelsVersion, pk, populate_existing=True)
        assert version is not None
        return Claim(version.attempts, version.epochs_done, version.checkpoint_key)


def _held(pk: int, owner: str) -> Any:
    return (
        (CustomLabelsVersion.pk == pk)
        & (CustomLabelsVersion.lease_owner == owner)
        & (CustomLabelsVersion.status == VersionStatus.TRAINING_IN_PROGRESS.value)
    )


def renew_lease(db: Database, pk: int, owner: str, ttl_s: float, **values: Any) -> bool:
    """Extend the lease (and record ``values``); False when this owner no longer holds it."""
    with db.session() as session:
        result = session.execute(
            update(CustomLabelsVersion)
            .where(_held(pk, owner))
            .values(lease_expires_at=utcnow() + timedelta(seconds=ttl_s), **values)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def finish_training(db: Database, pk: int, owner: str, target: VersionStatus, **values: Any) -> bool:
    """End training as ``target`` if this owner still holds the lease (one attempt ends it, once)."""
    with db.session() as session:
        result = session.execute(
            update(CustomLabelsVersion)
            .where(_held(pk, owner))
            .values(
                status=target.value,
                lease_owner=None,
                lease_expires_at=None,
                training_ended_at=utcnow(),
                **values,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _stalled(now: datetime, grace_s: float) -> Any:
    """Training whose lease expired, or that nobody claimed (nor requeued) ``grace_s`` after creation."""
    return (CustomLabelsVersion.status == VersionStatus.TRAINING_IN_PROGRESS.value) & (
        (CustomLabelsVersion.lease_expires_at < now)
        | (
            CustomLabelsVersion.lease_expires_at.is_(None)
            & (CustomLabelsVersion.created_at < now - timedelta(seconds=grace_s))
        )
    )


def expired_trainings(db: Database, now: datetime, unclaimed_after_s: float) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(CustomLabelsVersion.pk).where(_stalled(now, unclaimed_after_s))))


def requeue_stalled(db: Database, ttl_s: float) -> list[int]:
    """Stalled versions this caller may enqueue again: each is released (no owner, so the next attempt
    can claim it at once) with a fresh expiry, in a compare-and-set, so that of several sweepers only
    one enqueues it, once per TTL."""
    now = utcnow()
    won = []
    for pk in expired_trainings(db, now, ttl_s):
        with db.session() as session:
            result = session.execute(
                update(CustomLabelsVersion)
                .where((CustomLabelsVersion.pk == pk) & _stalled(now, ttl_s))
                .values(lease_owner=None, lease_expires_at=now + timedelta(seconds=ttl_s))
            )
            if result.rowcount:  # type: ignore[attr-defined]
                won.append(pk)
    return won


# Serving replicas -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    pk: int
    arn: str
    status: str
    min_units: int
    kind: str
    labels: list[str]
    weights_key: str
    bucket: str


def served_versions(db: Database) -> list[Served]:
    """Versions image workers should hold (STARTING, RUNNING) or drop (STOPPING)."""
    wanted = [status.value for status in (*SERVED, VersionStatus.STOPPING)]
    with db.session() as session:
        versions = session.scalars(select(CustomLabelsVersion).where(CustomLabelsVersion.status.in_(wanted)))
        return [
            Served(
                v.pk,
                v.arn,
                v.status,
                v.min_inference_units or 1,
                v.kind or "detection",
                list(v.labels),
                v.weights_key or "",
                str(v.output_config.get("S3Bucket", "")),
            )
            for v in versions
        ]


def replica_count(session: Session, pk: int, fresh_after: datetime) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(CustomLabelsReplica)
            .where(CustomLabelsReplica.version_pk == pk, CustomLabelsReplica.seen_at >= fresh_after)
        )
        or 0
    )


def hold_replica(db: Database, pk: int, worker_id: str) -> None:
    with db.session() as session:
        replica = session.get(CustomLabelsReplica, (pk, worker_id))
        if replica is None:
            session.add(CustomLabelsReplica(version_pk=pk, worker_id=worker_id))
        else:
            replica.seen_at = utcnow()


def drop_replica(db: Database, pk: int, worker_id: str) -> None:
    with db.session() as session:
        session.execute(
            delete(CustomLabelsReplica).where(
                CustomLabelsReplica.version_pk == pk, CustomLabelsReplica.worker_id == worker_id
            )
        )


def settle(db: Database, pk: int, replica_ttl_s: float) -> None:
    """Forget replicas not seen within the TTL; STARTING with enough replicas becomes RUNNING and
    STOPPING with none becomes STOPPED."""
    fresh_after = utcnow() - timedelta(seconds=replica_ttl_s)
    with db.session() as session:
        session.execute(
            delete(CustomLabelsReplica).where(
                CustomLabelsReplica.version_pk == pk, CustomLabelsReplica.seen_at < fresh_after
            )
        )
        version = session.get(CustomLabelsVersion, pk)
        if version is None:
            return
        count = replica_count(session, pk, fresh_after)
        if version.status == VersionStatus.STARTING and count >= (version.min_inference_units or 1):
            move(session, pk, [VersionStatus.STARTING], VersionStatus.RUNNING)
        elif version.status == VersionStatus.STOPPING and count == 0:
            move(session, pk, [VersionStatus.STOPPING], VersionStatus.STOPPED)
