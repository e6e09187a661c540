"""Which status a project version may move to, and the error when it may not."""

from __future__ import annotations

import pytest

from argus.core.errors import ResourceInUseException
from argus.custom_labels.states import VersionStatus, can_move, check_move

S = VersionStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.TRAINING_IN_PROGRESS, S.TRAINING_COMPLETED),
        (S.TRAINING_IN_PROGRESS, S.TRAINING_FAILED),
        (S.TRAINING_COMPLETED, S.STARTING),
        (S.STARTING, S.RUNNING),
        (S.STARTING, S.STOPPING),
        (S.RUNNING, S.STOPPING),
        (S.STOPPING, S.STOPPED),
        (S.STOPPED, S.STARTING),
        (S.FAILED, S.STARTING),
    ],
)
def test_allowed_moves(current: VersionStatus, target: VersionStatus) -> None:
    assert can_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.TRAINING_IN_PROGRESS, S.STARTING),
        (S.TRAINING_FAILED, S.STARTING),
        (S.RUNNING, S.STARTING),
        (S.TRAINING_COMPLETED, S.STOPPING),
        (S.STOPPED, S.STOPPING),
        (S.RUNNING, S.DELETING),
        (S.TRAINING_IN_PROGRESS, S.DELETING),
        (S.TRAINING_COMPLETED, S.TRAINING_IN_PROGRESS),
    ],
)
def test_refused_moves(current: VersionStatus, target: VersionStatus) -> None:
    assert not can_move(current, target)


def test_a_refused_move_is_resource_in_use() -> None:
    with pytest.raises(ResourceInUseException, match="Project version v1 is RUNNING and cannot be started"):
        check_move("RUNNING", S.STARTING, "v1")
    with pytest.raises(ResourceInUseException, match="is TRAINING_IN_PROGRESS and cannot be stopped"):
        check_move("TRAINING_IN_PROGRESS", S.STOPPING, "v1")
