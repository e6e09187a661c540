"""Send a synchronous image operation to the image workers and wait for its result."""

from __future__ import annotations

import time
from typing import Any

from celery import Celery
from celery.result import AsyncResult

from argus.contracts.image import ImageResult, ImageTask
from argus.core.errors import InternalServerError, ThrottlingException, from_code
from argus.workers.celery_app import IMAGE_TASK

POLL_FIRST_S = 0.002
POLL_MAX_S = 0.02


class ImageDispatcher:
    """Polls the result backend by task id (thread-safe with every backend, unlike result.get)."""

    def __init__(self, celery: Celery, timeout_s: float) -> None:
        self.celery = celery
        self.timeout_s = timeout_s

    def run(self, task: ImageTask) -> dict[str, Any]:
        sent = self.celery.send_task(
            IMAGE_TASK,
            args=[task.model_dump(mode="json")],
            queue="image",
            task_id=task.request_id,
            expires=self.timeout_s,
        )
        result = AsyncResult(sent.id, app=self.celery)
        deadline = time.monotonic() + self.timeout_s
        delay = POLL_FIRST_S
        while not result.ready():
            if time.monotonic() > deadline:
                # The message expires at the same deadline, so no worker will run it late.
                raise ThrottlingException(
                    "Amazon Rekognition is temporarily unable to process the request: no image worker "
                    f"answered within {self.timeout_s:g} s. Try your call again."
                )
            time.sleep(delay)
            delay = min(delay * 2, POLL_MAX_S)
        try:
            if result.failed():
                raise InternalServerError(f"the image worker failed: {type(result.result).__name__}")
            outcome = ImageResult.model_validate(result.result)
        finally:
            result.forget()
        if outcome.error is not None:
            raise from_code(outcome.error.code, outcome.error.message)
        assert outcome.body is not None
        return outcome.body
