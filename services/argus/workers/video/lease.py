"""Keeps a running job's lease alive from a background thread while frames are analyzed.

A frame can take seconds (first model load, OCR), so renewal does not wait for results. When a
renewal finds the job no longer held (the sweeper released it, or it completed elsewhere), the
lease is ``lost`` and the runner stops without writing anything more.
"""

from __future__ import annotations

import logging
import threading

from argus.jobs.repository import JobRepository

log = logging.getLogger(__name__)


class LeaseKeeper:
    def __init__(self, repository: JobRepository, job_id: str, worker_id: str, ttl_s: float) -> None:
        self.repository = repository
        self.job_id = job_id
        self.worker_id = worker_id
        self.ttl_s = ttl_s
        self.progress = 0.0
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{job_id}", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.ttl_s)

    def _run(self) -> None:
        while not self._stop.wait(self.ttl_s / 3):
            try:
                held = self.repository.renew(
                    self.job_id, self.worker_id, self.ttl_s, progress=round(self.progress, 2)
                )
            except Exception:  # try again next period; the lease still has two thirds left
                log.exception("renewing the lease of video job %s failed", self.job_id)
                continue
            if not held:
                self.lost.set()
                return
