"""Databases (a SQLite file, a scratch PostgreSQL database) and an object store for the index tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.core.storage.local import LocalObjectStore


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    return url


@pytest.fixture
def postgres_url(scratch_postgres_url: str) -> str:
    upgrade(scratch_postgres_url)
    return scratch_postgres_url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.dispose()


@pytest.fixture
def postgres_db(postgres_url: str) -> Iterator[Database]:
    database = Database(postgres_url)
    yield database
    database.dispose()


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    objects = LocalObjectStore(tmp_path / "objects")
    objects.ensure_bucket("argus")
    return objects
