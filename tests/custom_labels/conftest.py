"""Fixtures for Custom Labels: a migrated database (SQLite, or PostgreSQL too), a local object store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.core.db.models.base import utcnow
from argus.core.db.models.custom_labels import CustomLabelsProject, CustomLabelsVersion
from argus.core.storage import LocalObjectStore
from argus.custom_labels.arns import project_arn, version_arn
from argus.custom_labels.states import ProjectStatus, VersionStatus

ACCOUNT = "111122223333"


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    db = Database(url)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    url = (
        f"sqlite:///{tmp_path / 'argus.db'}"
        if request.param == "sqlite"
        else str(request.getfixturevalue("scratch_postgres_url"))
    )
    upgrade(url)
    database = Database(url)
    yield database
    database.dispose()


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    return LocalObjectStore(tmp_path / "objects")


def add_project(db: Database, name: str = "shapes") -> CustomLabelsProject:
    created = utcnow()
    with db.session() as session:
        project = CustomLabelsProject(
            account_id=ACCOUNT,
            name=name,
            arn=project_arn("eu-west-1", ACCOUNT, name, created),
            status=ProjectStatus.CREATED.value,
            auto_update="DISABLED",
            tags={},
            created_at=created,
        )
        session.add(project)
    return project


def add_version(
    db: Database,
    project: CustomLabelsProject,
    name: str = "v1",
    training: dict[str, Any] | None = None,
    testing: dict[str, Any] | None = None,
    output: dict[str, Any] | None = None,
    status: VersionStatus = VersionStatus.TRAINING_IN_PROGRESS,
) -> int:
    created = utcnow()
    with db.session() as session:
        version = CustomLabelsVersion(
            project_pk=project.pk,
            account_id=ACCOUNT,
            name=name,
            arn=version_arn(project.arn, name, created),
            status=status.value,
            created_at=created,
            output_config=output or {"S3Bucket": "out", "S3KeyPrefix": "runs"},
            training_data=training or {},
            testing_data=testing or {"AutoCreate": True},
            tags={},
            labels=[],
            thresholds={},
            results={},
            attempts=0,
            epochs_done=0,
        )
        session.add(version)
        session.flush()
        return version.pk


def asset(bucket: str, name: str) -> dict[str, Any]:
    return {"GroundTruthManifest": {"S3Object": {"Bucket": bucket, "Name": name}}}
