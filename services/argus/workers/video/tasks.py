"""Stored-video jobs run on the ``video`` queue. The job kinds arrive with the video issue;
until then this worker consumes its queue and the Start*/Get* operations answer 501."""

from __future__ import annotations

from celery import Celery


def register_video_tasks(app: Celery) -> None:
    """No video task is built yet."""
