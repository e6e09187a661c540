"""The Rekognition completion message for a finished job, published in the completing transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from argus.contracts.notification import JobNotification, VideoRef
from argus.core.db.models.video import VideoJob
from argus.notifications import outbox


def completion_message(job: VideoJob) -> JobNotification:
    completed = job.completed_at
    millis = int(completed.timestamp() * 1000) if completed is not None else 0
    return JobNotification(
        JobId=job.job_id,
        Status="SUCCEEDED" if job.status == "SUCCEEDED" else "FAILED",
        API=f"Start{job.kind}",
        JobTag=job.job_tag,
        Timestamp=millis,
        Video=VideoRef(S3ObjectName=job.s3_name, S3Bucket=job.s3_bucket),
    )


def notify_completion(session: Session, job: VideoJob) -> None:
    """Publish to the job's NotificationChannel topic, if it named one (a Finisher)."""
    if job.topic_arn:
        message = completion_message(job).model_dump_json(exclude_none=True)
        outbox.publish(session, topic_arn=job.topic_arn, message=message)
