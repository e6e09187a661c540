"""Project and project version ARNs, in the form Rekognition returns them."""

from __future__ import annotations

from datetime import datetime


def _millis(created: datetime) -> int:
    return int(created.timestamp() * 1000)


def project_arn(region: str, account_id: str, name: str, created: datetime) -> str:
    return f"arn:aws:rekognition:{region}:{account_id}:project/{name}/{_millis(created)}"


def version_arn(project: str, version_name: str, created: datetime) -> str:
    """``project`` is the project's ARN: ``.../project/<name>/version/<version>/<millis>``."""
    base = project.rsplit("/", 1)[0]
    return f"{base}/version/{version_name}/{_millis(created)}"
