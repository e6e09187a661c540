"""The gateway's wait for an image worker: a worker that never answers becomes ThrottlingException."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from argus.contracts.image import ImageSource, ImageTask
from argus.core.config import Mode, Settings
from argus.core.errors import ThrottlingException
from argus.gateway.dispatch import ImageDispatcher
from argus.workers.celery_app import make_celery


def test_no_worker_answering_is_a_throttling_error_after_the_timeout(tmp_path: Path) -> None:
    celery = make_celery(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path))
    dispatcher = ImageDispatcher(celery, timeout_s=0.5)
    task = ImageTask(
        request_id="r-1",
        operation="DetectFaces",
        account_id="123456789012",
        region="us-east-1",
        images={"Image": ImageSource(bytes_b64="/9j/")},
    )
    start = time.monotonic()
    with pytest.raises(ThrottlingException, match=r"no image worker answered within 0\.5 s"):
        dispatcher.run(task)
    assert 0.5 <= time.monotonic() - start < 2.0


def test_the_task_waits_on_the_image_queue(tmp_path: Path) -> None:
    settings = Settings(mode=Mode.EMBEDDED, data_dir=tmp_path)
    dispatcher = ImageDispatcher(make_celery(settings), timeout_s=0.1)
    task = ImageTask(
        request_id="r-2",
        operation="DetectFaces",
        account_id="123456789012",
        region="us-east-1",
        images={"Image": ImageSource(bytes_b64="/9j/")},
    )
    with pytest.raises(ThrottlingException):
        dispatcher.run(task)
    queued = [path.name for path in (settings.broker_dir / "queue").iterdir()]
    assert len(queued) == 1 and queued[0].endswith(".image.msg")
