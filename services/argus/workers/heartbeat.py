"""A liveness file the worker touches from its own event loop (``argus worker-alive`` reads it).

The touch runs on the consumer's timer, so a worker whose loop is stuck stops touching it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from celery import bootsteps

HEARTBEAT_INTERVAL_S = 10.0


class HeartbeatStep(bootsteps.StartStopStep):  # type: ignore[misc]
    requires = {"celery.worker.components:Timer"}
    path: Path = Path("/tmp/argus-worker.heartbeat")

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        self._touch()
        self.tref = worker.timer.call_repeatedly(HEARTBEAT_INTERVAL_S, self._touch, priority=10)

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
        self.path.unlink(missing_ok=True)

    def _touch(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch()


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the last heartbeat, or None when there is none."""
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
