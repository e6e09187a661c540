"""One training attempt on SQLite and a local object store: real (tiny) ultralytics training."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import utcnow
from argus.core.db.models.custom_labels import CustomLabelsVersion
from argus.core.storage import LocalObjectStore, ObjectRef
from argus.custom_labels import repository
from argus.custom_labels.job import TrainingAttempt
from tests.custom_labels import shapes
from tests.custom_labels.conftest import add_project, add_version, asset

pytest.importorskip("ultralytics")


def settings(tmp_path: Path, **training: Any) -> Settings:
    knobs = {"epochs": 3, "image_size": 32, "batch": 8, "checkpoint_every_epochs": 1, **training}
    return Settings(mode="embedded", data_dir=tmp_path, training=knobs)  # type: ignore[arg-type]


def upload(store: LocalObjectStore, pictures: list[shapes.Picture], lines: list[str], key: str) -> None:
    for picture in pictures:
        store.put(ObjectRef("data", picture.key), picture.png)
    store.put(ObjectRef("data", key), shapes.manifest(lines))


def version(db: Database, pk: int) -> CustomLabelsVersion:
    with db.session() as session:
        found = session.get(CustomLabelsVersion, pk)
        assert found is not None
        return found


@pytest.fixture
def classification(sqlite_db: Database, store: LocalObjectStore) -> int:
    pictures = shapes.classification_set(20, seed=0)
    upload(store, pictures, [shapes.classification_line("data", p) for p in pictures], "train.manifest")
    return add_version(
        sqlite_db, add_project(sqlite_db), training={"Assets": [asset("data", "train.manifest")]}
    )


def test_a_completed_attempt_writes_weights_evaluation_and_summaries(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore, classification: int
) -> None:
    TrainingAttempt(settings(tmp_path), sqlite_db, store, "me").run(classification)
    done = version(sqlite_db, classification)
    assert done.status == "TRAINING_COMPLETED"
    assert (done.kind, done.labels, sorted(done.thresholds)) == (
        "classification",
        ["circle", "square"],
        ["circle", "square"],
    )
    assert done.weights_key == "runs/shapes/v1/model/attempt-1/weights.pt"
    assert store.get(ObjectRef("out", done.weights_key))[:2] == b"PK"  # a torch zip checkpoint
    summary = json.loads(store.get(ObjectRef("out", "runs/shapes/v1/evaluation/summary.json")))
    assert summary["AggregatedEvaluationResults"]["F1Score"] == done.f1_score
    assert summary["EvaluationDetails"]["NumberOfTestingImages"] == 4  # a fifth of 20
    assert done.results["EvaluationResult"]["Summary"]["S3Object"] == {
        "Bucket": "out",
        "Name": "runs/shapes/v1/evaluation/summary.json",
    }
    assert done.lease_owner is None and done.training_ended_at is not None
    assert done.epochs_done == 3


def test_a_broken_manifest_fails_with_the_bad_lines_and_a_validation_manifest(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore
) -> None:
    pictures = shapes.classification_set(4, seed=0)
    lines = [shapes.classification_line("data", p) for p in pictures]
    lines[1] = lines[1].replace('"source-ref"', '"source"')
    upload(store, pictures, lines, "train.manifest")
    pk = add_version(
        sqlite_db, add_project(sqlite_db), training={"Assets": [asset("data", "train.manifest")]}
    )
    TrainingAttempt(settings(tmp_path), sqlite_db, store, "me").run(pk)
    failed = version(sqlite_db, pk)
    assert failed.status == "TRAINING_FAILED"
    assert failed.status_message == (
        "The training manifest has 1 invalid line(s) of 4: line 2: ERROR_MISSING_SOURCE_REF (the line has no "
        "source-ref). See the validation manifests under s3://out/runs/shapes/v1/manifests/validation/"
    )
    validation = store.get(ObjectRef("out", "runs/shapes/v1/manifests/validation/training.validation.jsonl"))
    assert [json.loads(line)["line"] for line in validation.decode().splitlines()] == [2]
    assert failed.weights_key is None


def test_a_few_invalid_lines_are_left_out_and_training_goes_on(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore
) -> None:
    pictures = shapes.classification_set(20, seed=0)
    lines = [shapes.classification_line("data", p) for p in pictures]
    lines[4] = lines[4].replace('"source-ref"', '"source"')  # 1 line of 20: under Rekognition's 20 %
    upload(store, pictures, lines, "train.manifest")
    pk = add_version(
        sqlite_db, add_project(sqlite_db), training={"Assets": [asset("data", "train.manifest")]}
    )
    TrainingAttempt(settings(tmp_path), sqlite_db, store, "me").run(pk)
    done = version(sqlite_db, pk)
    assert done.status == "TRAINING_COMPLETED"
    validation = store.get(ObjectRef("out", "runs/shapes/v1/manifests/validation/training.validation.jsonl"))
    assert [json.loads(line)["line"] for line in validation.decode().splitlines()] == [5]
    summary = json.loads(store.get(ObjectRef("out", "runs/shapes/v1/manifests/manifest_summary.json")))
    assert summary["statistics"]["invalid_json_lines"] == 1


def test_a_later_attempt_resumes_from_the_checkpoint(
    tmp_path: Path,
    sqlite_db: Database,
    store: LocalObjectStore,
    classification: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    epochs: list[int] = []
    first = TrainingAttempt(settings(tmp_path, epochs=2), sqlite_db, store, "first")
    first.run(classification)
    checkpoint = version(sqlite_db, classification).weights_key
    assert checkpoint is not None
    with sqlite_db.session() as session:  # as if the first attempt died after its 2nd epoch's checkpoint
        session.execute(
            update(CustomLabelsVersion)
            .where(CustomLabelsVersion.pk == classification)
            .values(status="TRAINING_IN_PROGRESS", epochs_done=2, checkpoint_key=checkpoint, weights_key=None)
        )
    real_renew = repository.renew_lease

    def counting(db: Database, pk: int, owner: str, ttl_s: float, **values: Any) -> bool:
        if "epochs_done" in values:
            epochs.append(values["epochs_done"])
        return real_renew(db, pk, owner, ttl_s, **values)

    monkeypatch.setattr(repository, "renew_lease", counting)
    TrainingAttempt(settings(tmp_path, epochs=4), sqlite_db, store, "second").run(classification)
    resumed = version(sqlite_db, classification)
    assert resumed.status == "TRAINING_COMPLETED"
    assert resumed.attempts == 2
    assert epochs == [3, 4]  # only the epochs that remained
    assert resumed.weights_key == "runs/shapes/v1/model/attempt-2/weights.pt"


def test_an_attempt_that_loses_its_lease_marks_nothing_completed(
    tmp_path: Path, sqlite_db: Database, store: LocalObjectStore, classification: int
) -> None:
    stolen = threading.Event()

    def steal() -> None:
        deadline = time.monotonic() + 120
        while version(sqlite_db, classification).epochs_done < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        with sqlite_db.session() as session:
            session.execute(
                update(CustomLabelsVersion)
                .where(CustomLabelsVersion.pk == classification)
                .values(lease_expires_at=utcnow())
            )
        assert repository.claim_training(sqlite_db, classification, "thief", ttl_s=600) is not None
        stolen.set()

    thief = threading.Thread(target=steal)
    thief.start()
    TrainingAttempt(settings(tmp_path, epochs=30), sqlite_db, store, "victim").run(classification)
    thief.join()
    assert stolen.is_set()
    after = version(sqlite_db, classification)
    assert (after.status, after.lease_owner, after.weights_key) == ("TRAINING_IN_PROGRESS", "thief", None)
    assert after.epochs_done < 30
