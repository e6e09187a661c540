"""`argus jobs list` and `argus jobs show JOB_ID` read the job table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from argus.cli import main
from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.jobs.repository import JobRepository
from tests.jobs.conftest import new_job, start_request


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> JobRepository:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    monkeypatch.setenv("ARGUS_MODE", "embedded")
    monkeypatch.setenv("ARGUS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARGUS_DATABASE_URL", url)
    return JobRepository(Database(url))


def test_list_prints_one_json_line_per_job(database: JobRepository) -> None:
    first = database.create(new_job(start_request("a.mp4"))).job_id
    second = database.create(new_job(start_request("b.mp4"), kind="TextDetection")).job_id
    output = CliRunner().invoke(main, ["jobs", "list"]).output
    rows = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert {row["JobId"]: row["API"] for row in rows} == {
        first: "StartLabelDetection",
        second: "StartTextDetection",
    }
    assert all(row["Status"] == "IN_PROGRESS" and row["Progress"] == 0.0 for row in rows)


def test_show_prints_progress_attempts_and_results(database: JobRepository) -> None:
    job_id = database.create(new_job(start_request("a.mp4", JobTag="t"))).job_id
    database.claim(job_id, "worker-a", 30.0)
    database.add_results(job_id, "worker-a", 30.0, 0, [{"Timestamp": 0, "Label": {"Name": "Cat"}}], 42.5)
    result = CliRunner().invoke(main, ["jobs", "show", job_id])
    shown = json.loads(result.output[result.output.index("{") :])
    assert (shown["Progress"], shown["Attempts"], shown["Results"]) == (42.5, 1, 1)
    assert (shown["Worker"], shown["JobTag"], shown["Video"]) == ("worker-a", "t", "s3://videos/a.mp4")


def test_show_of_an_unknown_job_fails(database: JobRepository) -> None:
    result = CliRunner().invoke(main, ["jobs", "show", "nope"])
    assert result.exit_code == 1
    assert "The job nope was not found" in result.output
