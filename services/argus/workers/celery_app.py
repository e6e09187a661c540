"""The one Celery app: queues ``image``, ``video`` and ``training`` over Redis, or over a local
filesystem broker in embedded mode (same code, same semantics, no external service)."""

from __future__ import annotations

from typing import Any

from celery import Celery
from kombu.entity import Queue

from argus.core.config import Settings
from argus.workers import local_broker

QUEUES = ("image", "video", "training")
IMAGE_TASK = "argus.image.analyze"
TASK_ROUTES = {
    "argus.image.*": {"queue": "image"},
    "argus.video.*": {"queue": "video"},
    "argus.training.*": {"queue": "training"},
}


def _embedded_transport_options(settings: Settings) -> dict[str, Any]:
    queue_dir = settings.broker_dir / "queue"
    for folder in (queue_dir, settings.broker_dir / "control", settings.broker_dir / "results"):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "control_folder": str(settings.broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.02,
    }


def make_celery(settings: Settings) -> Celery:
    local_broker.register()
    app = Celery("argus", broker=settings.effective_broker_url, backend=settings.effective_result_backend_url)
    transport_options: dict[str, Any] = {}
    if settings.effective_broker_url.startswith(local_broker.ALIAS):
        transport_options = _embedded_transport_options(settings)
    else:
        transport_options = {"visibility_timeout": 3600}
    app.conf.update(
        task_queues=[Queue(name) for name in QUEUES],  # type: ignore[no-untyped-call]
        task_default_queue="image",
        task_routes=TASK_ROUTES,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        result_expires=3600,
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
        enable_utc=True,
    )
    return app
