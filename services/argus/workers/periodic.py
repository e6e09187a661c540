"""A worker bootstep that runs a job every few seconds on its own thread while the worker runs."""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, bootsteps

log = logging.getLogger(__name__)


class PeriodicStep(bootsteps.StartStopStep):  # type: ignore[misc]
    """Subclasses name the job (``tick``) and how often it runs (``interval_s``)."""

    name = "argus-periodic"

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def interval_s(self, app: Celery) -> float:
        raise NotImplementedError

    def tick(self, app: Celery) -> None:
        raise NotImplementedError

    def start(self, worker: Any) -> None:
        app = worker.app
        interval = self.interval_s(app)

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.tick(app)
                except Exception:
                    log.exception("%s failed; trying again in %.0f s", type(self).__name__, interval)

        self._thread = threading.Thread(target=loop, name=type(self).__name__, daemon=True)
        self._thread.start()

    def stop(self, worker: Any) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
