"""Leases, status moves and serving replicas on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import timedelta

from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.custom_labels import CustomLabelsVersion
from argus.custom_labels import repository
from argus.custom_labels.states import VersionStatus
from tests.custom_labels.conftest import add_project, add_version


def status(db: Database, pk: int) -> str:
    with db.session() as session:
        version = session.get(CustomLabelsVersion, pk)
        assert version is not None
        return version.status


def test_a_claim_is_exclusive_while_the_lease_is_fresh(db: Database) -> None:
    pk = add_version(db, add_project(db))
    first = repository.claim_training(db, pk, "worker-a", ttl_s=60)
    assert first == repository.Claim(attempt=1, epochs_done=0, checkpoint_key=None)
    assert repository.claim_training(db, pk, "worker-b", ttl_s=60) is None


def test_an_expired_lease_is_taken_over_and_the_old_owner_loses_it(db: Database) -> None:
    pk = add_version(db, add_project(db))
    repository.claim_training(db, pk, "worker-a", ttl_s=0.2)
    assert repository.renew_lease(db, pk, "worker-a", 0.2, epochs_done=4, checkpoint_key="ck")
    time.sleep(0.3)
    assert repository.expired_trainings(db, utcnow(), unclaimed_after_s=60) == [pk]
    claim = repository.claim_training(db, pk, "worker-b", ttl_s=60)
    assert claim == repository.Claim(attempt=2, epochs_done=4, checkpoint_key="ck")
    assert not repository.renew_lease(db, pk, "worker-a", 60)
    assert not repository.finish_training(db, pk, "worker-a", VersionStatus.TRAINING_COMPLETED)
    assert status(db, pk) == VersionStatus.TRAINING_IN_PROGRESS


def test_training_ends_once(db: Database) -> None:
    pk = add_version(db, add_project(db))
    repository.claim_training(db, pk, "worker-a", ttl_s=60)
    assert repository.finish_training(db, pk, "worker-a", VersionStatus.TRAINING_COMPLETED, f1_score=0.9)
    assert not repository.finish_training(db, pk, "worker-a", VersionStatus.TRAINING_FAILED)
    assert repository.claim_training(db, pk, "worker-b", ttl_s=60) is None
    assert status(db, pk) == VersionStatus.TRAINING_COMPLETED
    assert repository.expired_trainings(db, utcnow() + timedelta(days=1), unclaimed_after_s=0) == []


def test_a_never_claimed_version_is_swept_after_the_grace_period(db: Database) -> None:
    pk = add_version(db, add_project(db))
    assert repository.expired_trainings(db, utcnow(), unclaimed_after_s=60) == []
    assert repository.expired_trainings(db, utcnow() + timedelta(seconds=61), unclaimed_after_s=60) == [pk]


def test_versions_list_newest_first_and_filter_by_name(db: Database) -> None:
    project = add_project(db)
    pks = [add_version(db, project, name=f"v{n}") for n in range(3)]
    with db.session() as session:
        names = [v.name for v in repository.list_versions(session, project.pk, None, None, 10)]
        assert names == ["v2", "v1", "v0"]
        page = repository.list_versions(session, project.pk, None, pks[2], 1)
        assert [v.name for v in page] == ["v1", "v0"]  # limit + 1
        assert [v.name for v in repository.list_versions(session, project.pk, ["v0"], None, 10)] == ["v0"]


def test_a_move_is_compare_and_set(db: Database) -> None:
    pk = add_version(db, add_project(db), status=VersionStatus.TRAINING_COMPLETED)
    with db.session() as session:
        assert repository.move(session, pk, ["TRAINING_COMPLETED"], VersionStatus.STARTING)
        assert not repository.move(session, pk, ["TRAINING_COMPLETED"], VersionStatus.STARTING)


def test_a_starting_version_runs_once_enough_replicas_hold_it(db: Database) -> None:
    pk = add_version(db, add_project(db), status=VersionStatus.STARTING)
    with db.session() as session:
        session.get(CustomLabelsVersion, pk).min_inference_units = 2  # type: ignore[union-attr]
    repository.hold_replica(db, pk, "image-1")
    repository.settle(db, pk, replica_ttl_s=30)
    assert status(db, pk) == VersionStatus.STARTING
    repository.hold_replica(db, pk, "image-2")
    repository.settle(db, pk, replica_ttl_s=30)
    assert status(db, pk) == VersionStatus.RUNNING


def test_a_stopping_version_stops_when_no_replica_is_left(db: Database) -> None:
    pk = add_version(db, add_project(db), status=VersionStatus.STOPPING)
    repository.hold_replica(db, pk, "image-1")
    repository.settle(db, pk, replica_ttl_s=30)
    assert status(db, pk) == VersionStatus.STOPPING
    repository.drop_replica(db, pk, "image-1")
    repository.settle(db, pk, replica_ttl_s=30)
    assert status(db, pk) == VersionStatus.STOPPED


def test_replicas_not_seen_within_the_ttl_are_forgotten(db: Database) -> None:
    pk = add_version(db, add_project(db), status=VersionStatus.STOPPING)
    repository.hold_replica(db, pk, "image-dead")
    time.sleep(0.3)
    repository.settle(db, pk, replica_ttl_s=0.2)
    assert status(db, pk) == VersionStatus.STOPPED


def test_a_stalled_version_is_requeued_by_one_sweeper_once_per_ttl(db: Database) -> None:
    pk = add_version(db, add_project(db))
    repository.claim_training(db, pk, "worker-dead", ttl_s=0.1)
    time.sleep(0.2)
    assert repository.requeue_stalled(db, ttl_s=60) == [pk]
    assert repository.requeue_stalled(db, ttl_s=60) == []  # another sweeper, or the next sweep
    assert not repository.renew_lease(db, pk, "worker-dead", 60)
    assert repository.claim_training(db, pk, "worker-new", ttl_s=60) == repository.Claim(2, 0, None)
