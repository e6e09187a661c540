"""Custom Labels training runs on the ``training`` queue. Training arrives with the Custom Labels
issue; until then this worker consumes its queue and CreateProjectVersion answers 501."""

from __future__ import annotations

from celery import Celery


def register_training_tasks(app: Celery) -> None:
    """No training task is built yet."""
