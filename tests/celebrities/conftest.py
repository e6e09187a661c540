"""Fixtures for the gallery tests: a migrated SQLite database, the real face models, gallery folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from argus.core.config import Mode, Settings
from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.core.models.registry import ModelRegistry
from argus.workers.runtime import WorkerRuntime


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    return url


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def registry() -> ModelRegistry:
    """The real detection and embedding models, loaded once for the session."""
    registry = ModelRegistry(Settings())
    missing = [entry.missing for entry in registry.status() if entry.missing]
    if missing:
        pytest.skip(f"model weights missing ({missing[0]}); run `argus models fetch`")
    return registry


@pytest.fixture
def runtime(tmp_path: Path, sqlite_url: str, registry: ModelRegistry) -> Iterator[WorkerRuntime]:
    """An image worker's runtime on the test database and a local object store, sharing the models."""
    runtime = WorkerRuntime(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path, database_url=sqlite_url))
    runtime.registry = registry
    yield runtime
    runtime.indexes.close()
    runtime.db.dispose()
