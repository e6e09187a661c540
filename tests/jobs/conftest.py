"""A migrated SQLite database for the job repository tests (PostgreSQL is covered end to end)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.jobs.repository import JobRepository, NewJob


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[JobRepository]:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    db = Database(url)
    yield JobRepository(db)
    db.dispose()


def start_request(name: str = "clip.mp4", **extra: Any) -> dict[str, Any]:
    return {"Video": {"S3Object": {"Bucket": "videos", "Name": name}}, **extra}


def new_job(params: dict[str, Any], kind: str = "LabelDetection") -> NewJob:
    return NewJob(account_id="111122223333", region="eu-west-1", kind=kind, params=params)
