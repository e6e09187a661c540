"""The image queue's one task: run a synchronous image operation and return its result."""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery

from argus.contracts.image import ImageResult, ImageTask, TaskError
from argus.core.errors import AwsError
from argus.workers.celery_app import IMAGE_TASK
from argus.workers.image.inputs import load_image
from argus.workers.image.pipelines import PIPELINES
from argus.workers.runtime import WorkerRuntime, runtime_of

log = logging.getLogger(__name__)


def run_image_task(runtime: WorkerRuntime, message: dict[str, Any]) -> dict[str, Any]:
    task = ImageTask.model_validate(message)
    try:
        pipeline = PIPELINES.get(task.operation)
        if pipeline is None:
            raise AwsError(f"the image workers do not run {task.operation}")
        images = {role: load_image(source, runtime.store) for role, source in task.images.items()}
        result = ImageResult(ok=True, body=pipeline(runtime, task, images))
    except AwsError as error:
        result = ImageResult(ok=False, error=TaskError(code=error.code, message=error.message))
    except Exception:
        log.exception("image task %s (%s) failed", task.request_id, task.operation)
        result = ImageResult(
            ok=False, error=TaskError(code="InternalServerError", message="Internal server error")
        )
    return result.model_dump(mode="json")


def register_image_tasks(app: Celery) -> None:
    @app.task(name=IMAGE_TASK, bind=True, acks_late=False, ignore_result=False)  # type: ignore[untyped-decorator]
    def analyze(self: Any, message: dict[str, Any]) -> dict[str, Any]:
        return run_image_task(runtime_of(self.app), message)
