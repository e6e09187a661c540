"""StartContentModeration: DetectModerationLabels on each sampled frame."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.video.frames import VideoInfo
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer
from argus.workers.video.analyzers.context import image_task
from argus.workers.video.analyzers.per_frame import PerFrameAnalyzer


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    return PerFrameAnalyzer(
        runtime,
        image_task(params, "DetectModerationLabels", ("MinConfidence",)),
        runtime.settings.video.moderation_sample_fps,
        lambda body: [{"ModerationLabel": label} for label in body["ModerationLabels"]],
        {"ModerationModelVersion": "ModerationModelVersion"},
    )
