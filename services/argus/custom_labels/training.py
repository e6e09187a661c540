"""Train a YOLOv8n (detection or classification) with ultralytics on a laid-out dataset.

No pretrained weights install offline, so a first attempt builds the network from ultralytics'
architecture file and trains from scratch; an attempt that follows an interrupted one starts from the
last checkpoint's weights and trains the epochs that remain. ``on_epoch`` runs after each epoch with
the number of epochs done and the path of the checkpoint written then (it may raise to cancel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argus.core.models.ultralytics import ultralytics

ARCHITECTURES = {"detection": "yolov8n.yaml", "classification": "yolov8n-cls.yaml"}


@dataclass(frozen=True)
class TrainConfig:
    kind: str
    epochs: int
    image_size: int
    batch: int
    patience: int
    device: str


class TrainingCancelled(Exception):
    """Raised from ``on_epoch`` to stop training (the lease was lost or the version went away)."""


def train(
    data: Path,
    workdir: Path,
    config: TrainConfig,
    on_epoch: Callable[[int, Path], None],
    start_weights: Path | None = None,
    epochs_done: int = 0,
) -> Path:
    """Train ``config.epochs - epochs_done`` epochs; the path of the final weights."""
    yolo = ultralytics().YOLO
    model = yolo(str(start_weights) if start_weights else ARCHITECTURES[config.kind])
    remaining = max(1, config.epochs - epochs_done)

    seen = [epochs_done]

    def after_epoch(trainer: Any) -> None:
        done = min(config.epochs, epochs_done + int(trainer.epoch) + 1)
        if done > seen[0]:  # the final validation fires the callback once more
            seen[0] = done
            on_epoch(done, Path(trainer.last))

    model.add_callback("on_fit_epoch_end", after_epoch)
    model.train(
        data=str(data),
        epochs=remaining,
        imgsz=config.image_size,
        batch=config.batch,
        patience=config.patience,
        device=config.device,
        plots=False,
        amp=False,
        workers=0,
        val=False,
        project=str(workdir / "runs"),
        name="train",
        exist_ok=True,
        verbose=False,
        seed=0,
        deterministic=True,
    )
    weights = workdir / "runs" / "train" / "weights" / "last.pt"
    if not weights.is_file():
        raise RuntimeError(f"ultralytics finished without writing {weights}")
    return weights
