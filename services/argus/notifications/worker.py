"""Runs a notification dispatcher on a background thread of every worker process.

A Celery bootstep: it starts with the worker and stops (letting the current round finish)
when the worker shuts down. The gateway never delivers, so restarting it loses nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from functools import cache
from typing import Any

from celery import bootsteps

from argus.core.auth.keys import SecretBox
from argus.notifications import signing
from argus.notifications.delivery import Dispatcher
from argus.workers.runtime import runtime_of

log = logging.getLogger(__name__)


class DispatcherStep(bootsteps.StartStopStep):  # type: ignore[misc]
    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.dispatcher: Dispatcher | None = None

    def start(self, worker: Any) -> None:
        runtime = runtime_of(worker.app)
        settings = runtime.settings
        if settings.secret_key is None:
            log.warning("ARGUS_SECRET_KEY is not set: this worker will not deliver notifications")
            return
        box = SecretBox(settings.secret_key.get_secret_value())
        signer = cache(lambda: signing.load_or_create(runtime.db, box))
        self.dispatcher = Dispatcher(
            runtime.db, settings, signer, name=f"{socket.gethostname()}:{os.getpid()}"
        )
        self.thread = threading.Thread(
            target=self.dispatcher.run, args=(self.stop_event,), name="sns-dispatcher", daemon=True
        )
        self.thread.start()

    def stop(self, worker: Any) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        if self.dispatcher is not None:
            self.dispatcher.close()
