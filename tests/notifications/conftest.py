"""Notification tables on SQLite and PostgreSQL, and settings that allow loopback receivers."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest

from argus.core.config import NotificationSettings, Settings
from argus.core.db.engine import Database
from argus.core.db.models.base import Base
from argus.core.db.models.notifications import Delivery, SigningKey, Subscription, Topic

TABLES = [Topic.__table__, Subscription.__table__, Delivery.__table__, SigningKey.__table__]
SECRET = "notification-tests-secret-0123456789"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'argus.db'}"
    return str(request.getfixturevalue("scratch_postgres_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    Base.metadata.create_all(database.engine, tables=TABLES)  # type: ignore[arg-type]
    try:
        yield database
    finally:
        database.dispose()


def make_settings(database_url: str, **notifications: object) -> Settings:
    options: dict[str, object] = {
        "allowed_networks": [ipaddress.ip_network("127.0.0.0/8")],
        "poll_interval_s": 0.05,
        "backoff_base_s": 0.05,
        "backoff_cap_s": 0.2,
        "request_timeout_s": 5.0,
        "public_url": "http://argus.test:8080",
        **notifications,
    }
    return Settings(
        secret_key=SECRET,  # type: ignore[arg-type]
        database_url=database_url,
        notifications=NotificationSettings(**options),  # type: ignore[arg-type]
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)
