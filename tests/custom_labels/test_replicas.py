"""Image workers' serving sync: load STARTING versions, report replicas, drop STOPPING ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.custom_labels import CustomLabelsVersion
from argus.core.models.registry import ModelRegistry
from argus.core.storage import LocalObjectStore, ObjectRef
from argus.custom_labels.replicas import ServingSync
from argus.custom_labels.states import VersionStatus
from tests.custom_labels.conftest import add_project, add_version

WEIGHTS = "runs/shapes/v1/model/attempt-1/weights.pt"


@pytest.fixture(scope="module")
def untrained_weights(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real YOLOv8n detection checkpoint (ultralytics' architecture, untrained)."""
    pytest.importorskip("ultralytics")
    from argus.core.models.ultralytics import ultralytics

    path = tmp_path_factory.mktemp("weights") / "model.pt"
    ultralytics().YOLO("yolov8n.yaml").save(str(path))
    return path.read_bytes()


def starting_version(db: Database, units: int = 1, weights: str = WEIGHTS) -> int:
    pk = add_version(db, add_project(db), status=VersionStatus.STARTING)
    with db.session() as session:
        version = session.get(CustomLabelsVersion, pk)
        assert version is not None
        version.min_inference_units = units
        version.weights_key = weights
        version.kind = "detection"
        version.labels = ["red square"]
    return pk


def status(db: Database, pk: int) -> str:
    with db.session() as session:
        version = session.get(CustomLabelsVersion, pk)
        assert version is not None
        return version.status


def sync_for(tmp_path: Path, db: Database, store: LocalObjectStore, worker: str) -> ServingSync:
    settings = Settings(mode="embedded", data_dir=tmp_path, device="cpu")  # type: ignore[call-arg]
    return ServingSync(settings, db, store, ModelRegistry(settings), worker)


def test_a_starting_version_runs_once_a_worker_holds_it_and_stops_when_dropped(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore, untrained_weights: bytes
) -> None:
    store.put(ObjectRef("out", WEIGHTS), untrained_weights)
    pk = starting_version(sqlite_db)
    worker = sync_for(tmp_path, sqlite_db, store, "image-1")
    worker.sync()
    assert status(sqlite_db, pk) == VersionStatus.RUNNING
    with sqlite_db.session() as session:
        arn = session.get(CustomLabelsVersion, pk).arn  # type: ignore[union-attr]
        session.get(CustomLabelsVersion, pk).status = VersionStatus.STOPPING  # type: ignore[union-attr]
    assert worker.registry.holds(arn)
    worker.sync()
    assert status(sqlite_db, pk) == VersionStatus.STOPPED
    assert not worker.registry.holds(arn)


def test_a_second_worker_is_not_needed_for_one_inference_unit(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore, untrained_weights: bytes
) -> None:
    store.put(ObjectRef("out", WEIGHTS), untrained_weights)
    pk = starting_version(sqlite_db, units=2)
    first, second = (sync_for(tmp_path, sqlite_db, store, name) for name in ("image-1", "image-2"))
    first.sync()
    assert status(sqlite_db, pk) == VersionStatus.STARTING  # one of two units
    second.sync()
    assert status(sqlite_db, pk) == VersionStatus.RUNNING
    third = sync_for(tmp_path, sqlite_db, store, "image-3")
    third.sync()
    assert third.held == set()


def test_a_model_that_cannot_load_fails_the_version(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore
) -> None:
    pk = starting_version(sqlite_db, weights="nowhere.pt")
    sync_for(tmp_path, sqlite_db, store, "image-1").sync()
    assert status(sqlite_db, pk) == VersionStatus.FAILED
    with sqlite_db.session() as session:
        message = session.get(CustomLabelsVersion, pk).status_message  # type: ignore[union-attr]
    assert message is not None and message.startswith("The model could not be loaded: ObjectNotFound")
