"""Image workers hold the models of STARTING and RUNNING versions and report it.

Every ``serving_sync_s`` each image worker runs :meth:`ServingSync.sync`: it loads the model of a
STARTING or RUNNING version while fewer than MinInferenceUnits workers hold it (and keeps holding the
ones it has), refreshes its replica row, and drops the models of STOPPING versions. Then it settles
each version: STARTING becomes RUNNING once MinInferenceUnits fresh replicas exist, STOPPING becomes
STOPPED once none is left, replicas not seen for ``replica_ttl_s`` are forgotten. A model that
cannot be loaded turns a STARTING version FAILED.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.models.registry import ModelRegistry
from argus.core.models.ultralytics import pick_device
from argus.core.storage import ObjectRef, ObjectStore
from argus.custom_labels import repository
from argus.custom_labels.serving import CustomModel
from argus.custom_labels.states import VersionStatus

log = logging.getLogger(__name__)


def load_model(
    settings: Settings, store: ObjectStore, bucket: str, weights_key: str, kind: str, labels: list[str]
) -> CustomModel:
    data = store.get(ObjectRef(bucket, weights_key))
    return CustomModel.from_bytes(
        data, kind, labels, settings.training.image_size, pick_device(settings.device)
    )


def model_for(
    settings: Settings, store: ObjectStore, registry: ModelRegistry, served: repository.Served
) -> CustomModel:
    """The version's model from the registry, loading it there the first time."""
    model: CustomModel = registry.keyed(
        served.arn,
        lambda: load_model(settings, store, served.bucket, served.weights_key, served.kind, served.labels),
    )
    return model


@dataclass
class ServingSync:
    settings: Settings
    db: Database
    store: ObjectStore
    registry: ModelRegistry
    worker_id: str
    held: set[int] = field(default_factory=set)

    def sync(self) -> None:
        ttl = self.settings.training.replica_ttl_s
        served = repository.served_versions(self.db)
        for version in served:
            if version.status == VersionStatus.STOPPING:
                self._release(version)
            elif version.pk in self.held and self.registry.holds(version.arn):
                repository.hold_replica(self.db, version.pk, self.worker_id)
            elif self._needs_replica(version, ttl):
                self._load(version)
            repository.settle(self.db, version.pk, ttl)
        wanted = {version.pk for version in served if version.status != VersionStatus.STOPPING}
        for pk in self.held - wanted:  # stopped or deleted meanwhile
            self.held.discard(pk)
            repository.drop_replica(self.db, pk, self.worker_id)

    def _needs_replica(self, version: repository.Served, ttl: float) -> bool:
        with self.db.session() as session:
            count = repository.replica_count(session, version.pk, utcnow() - timedelta(seconds=ttl))
        return count < version.min_units

    def _load(self, version: repository.Served) -> None:
        try:
            model_for(self.settings, self.store, self.registry, version)
        except Exception as error:
            log.exception("could not load the model of %s", version.arn)
            with self.db.session() as session:
                repository.move(
                    session,
                    version.pk,
                    [VersionStatus.STARTING],
                    VersionStatus.FAILED,
                    status_message=f"The model could not be loaded: {type(error).__name__}: {error}",
                )
            return
        self.held.add(version.pk)
        repository.hold_replica(self.db, version.pk, self.worker_id)

    def _release(self, version: repository.Served) -> None:
        self.registry.drop(version.arn)
        self.held.discard(version.pk)
        repository.drop_replica(self.db, version.pk, self.worker_id)
