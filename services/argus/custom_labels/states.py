"""Project and project version statuses, and which operation may move a version where."""

from __future__ import annotations

from enum import StrEnum

from argus.core.errors import ResourceInUseException


class ProjectStatus(StrEnum):
    CREATING = "CREATING"
    CREATED = "CREATED"
    DELETING = "DELETING"


class VersionStatus(StrEnum):
    TRAINING_IN_PROGRESS = "TRAINING_IN_PROGRESS"
    TRAINING_COMPLETED = "TRAINING_COMPLETED"
    TRAINING_FAILED = "TRAINING_FAILED"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    DELETING = "DELETING"


TRANSITIONS: dict[VersionStatus, frozenset[VersionStatus]] = {
    VersionStatus.TRAINING_IN_PROGRESS: frozenset(
        {VersionStatus.TRAINING_COMPLETED, VersionStatus.TRAINING_FAILED}
    ),
    VersionStatus.TRAINING_COMPLETED: frozenset({VersionStatus.STARTING, VersionStatus.DELETING}),
    VersionStatus.TRAINING_FAILED: frozenset({VersionStatus.DELETING}),
    VersionStatus.STARTING: frozenset({VersionStatus.RUNNING, VersionStatus.FAILED, VersionStatus.STOPPING}),
    VersionStatus.RUNNING: frozenset({VersionStatus.STOPPING}),
    VersionStatus.FAILED: frozenset({VersionStatus.STARTING, VersionStatus.DELETING}),
    VersionStatus.STOPPING: frozenset({VersionStatus.STOPPED}),
    VersionStatus.STOPPED: frozenset({VersionStatus.STARTING, VersionStatus.DELETING}),
    VersionStatus.DELETING: frozenset(),
}

SERVED = frozenset({VersionStatus.STARTING, VersionStatus.RUNNING})
"""Statuses in which image workers hold the model."""


def can_move(current: str, target: VersionStatus) -> bool:
    return target in TRANSITIONS.get(VersionStatus(current), frozenset())


def check_move(current: str, target: VersionStatus, name: str) -> None:
    """Raise ResourceInUseException (as Rekognition does) when ``current`` cannot become ``target``."""
    if not can_move(current, target):
        action = {
            VersionStatus.STARTING: "started",
            VersionStatus.STOPPING: "stopped",
            VersionStatus.DELETING: "deleted",
        }.get(target, f"moved to {target}")
        raise ResourceInUseException(f"Project version {name} is {current} and cannot be {action}")
