"""Embedded mode: one command runs the gateway and supervises real workers on a local broker."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field

from argus.core.config import Settings

log = logging.getLogger(__name__)

# The image worker answers synchronous calls; video jobs and Custom Labels training each get their
# own process, so that a long job never delays an image call and training never blocks video jobs.
WORKER_GROUPS: tuple[tuple[str, ...], ...] = (("image",), ("video",), ("training",))
RESTART_CHECK_S = 1.0


def worker_command(queues: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "argus.cli", "worker", "--queues", ",".join(queues), "--concurrency", "2"]


def worker_env(settings: Settings, queues: tuple[str, ...]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ARGUS_MODE="embedded",
        ARGUS_DATA_DIR=str(settings.resolved_data_dir),
        ARGUS_MODEL_DIR=str(settings.model_dir),
        # the gateway's address, for the absolute URLs in notifications the workers sign
        ARGUS_HOST=settings.host,
        ARGUS_PORT=str(settings.port),
        ARGUS_WORKER_HEARTBEAT=str(settings.resolved_data_dir / f"worker-{'+'.join(queues)}.heartbeat"),
    )
    return env


@dataclass
class WorkerSupervisor:
    """Starts one worker process per group and restarts any that dies, until stopped."""

    settings: Settings
    processes: dict[tuple[str, ...], subprocess.Popen[bytes]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        for queues in WORKER_GROUPS:
            self._spawn(queues)
        self._thread = threading.Thread(target=self._watch, name="argus-worker-supervisor", daemon=True)
        self._thread.start()

    def _spawn(self, queues: tuple[str, ...]) -> None:
        log.info("starting %s worker", "+".join(queues))
        self.processes[queues] = subprocess.Popen(
            worker_command(queues), env=worker_env(self.settings, queues)
        )

    def _watch(self) -> None:
        while not self._stop.wait(RESTART_CHECK_S):
            for queues, process in list(self.processes.items()):
                if process.poll() is not None and not self._stop.is_set():
                    log.warning("%s worker exited with %s; restarting", "+".join(queues), process.returncode)
                    self._spawn(queues)

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stop.set()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
