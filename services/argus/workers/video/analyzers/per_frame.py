"""An analyzer that runs one image pipeline on each sampled frame and timestamps what it finds.

Label, face, celebrity, moderation and text detection reuse the image operations this way (the
same code answers DetectLabels and each frame of StartLabelDetection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from argus.contracts.image import ImageTask
from argus.core.images import DecodedImage
from argus.video.frames import VideoFrame
from argus.workers.image.pipelines import PIPELINES
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import ResultItem

Shape = Callable[[dict[str, Any]], list[dict[str, Any]]]
"""Turns the image operation's response into the video items (without Timestamp)."""


def frame_image(frame: VideoFrame) -> DecodedImage:
    return DecodedImage(pixels=frame.pixels, format="jpeg", exif_orientation=None)


class PerFrameAnalyzer:
    def __init__(
        self,
        runtime: WorkerRuntime,
        task: ImageTask,
        sample_fps: float,
        shape: Shape,
        version_fields: Mapping[str, str] | None = None,
    ) -> None:
        self.sample_fps: float | None = sample_fps
        self.runtime = runtime
        self.task = task
        self.pipeline = PIPELINES[task.operation]
        self.shape = shape
        self.version_fields = dict(version_fields or {})
        self.response_fields: dict[str, Any] = {}
        """Get* members the image responses carry (model versions), filled as frames pass."""

    def feed(self, frame: VideoFrame) -> list[ResultItem]:
        body = self.pipeline(self.runtime, self.task, {"Image": frame_image(frame)})
        for source, target in self.version_fields.items():
            if source in body:
                self.response_fields[target] = body[source]
        return [{"Timestamp": frame.timestamp_ms, **item} for item in self.shape(body)]

    def finish(self) -> list[ResultItem]:
        return []
