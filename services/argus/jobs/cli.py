"""``argus jobs``: the stored-video jobs of the configured database, with their progress.

``argus jobs list`` prints one JSON object a line, newest first; ``argus jobs show JOB_ID`` prints
one job in full (status, progress percent, attempts, lease, video metadata, result count).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from argus.core.db.models.video import VideoJob
    from argus.jobs.repository import JobRepository


def _repository() -> JobRepository:
    from argus.cli import _settings
    from argus.core.db.engine import Database
    from argus.core.db.migrate import upgrade
    from argus.jobs.repository import JobRepository

    settings = _settings()
    if settings.embedded:
        upgrade(settings.effective_database_url)
    return JobRepository(Database(settings.effective_database_url))


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def summary(job: VideoJob) -> dict[str, Any]:
    return {
        "JobId": job.job_id,
        "API": f"Start{job.kind}",
        "Status": job.status,
        "Progress": round(job.progress, 2),
        "Video": f"s3://{job.s3_bucket}/{job.s3_name}",
        "CreatedAt": _iso(job.created_at),
    }


def details(job: VideoJob, result_count: int) -> dict[str, Any]:
    return {
        **summary(job),
        "AccountId": job.account_id,
        "StatusMessage": job.status_message,
        "JobTag": job.job_tag,
        "NotificationTopic": job.topic_arn,
        "Attempts": job.attempts,
        "Worker": job.worker_id,
        "LeaseExpiresAt": _iso(job.lease_expires_at),
        "CompletedAt": _iso(job.completed_at),
        "VideoMetadata": job.video_metadata,
        "Results": result_count,
        "Parameters": job.params,
    }


@click.group("jobs")
def jobs_group() -> None:
    """Stored-video jobs and their progress."""


@jobs_group.command("list")
@click.option("--account", default=None, help="Only this account's jobs.")
@click.option("--limit", type=int, default=100, show_default=True)
def list_jobs(account: str | None, limit: int) -> None:
    """Recent jobs, newest first, one JSON object a line."""
    for job in _repository().recent(account, limit):
        click.echo(json.dumps(summary(job)))


@jobs_group.command("show")
@click.argument("job_id")
def show_job(job_id: str) -> None:
    """One job in full."""
    from argus.core.errors import ResourceNotFoundException

    repository = _repository()
    try:
        job = repository.get(job_id)
    except ResourceNotFoundException as missing:
        raise click.ClickException(missing.message) from missing
    click.echo(json.dumps(details(job, repository.count_results(job_id)), indent=2, default=str))
