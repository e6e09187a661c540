"""StartFaceDetection: DetectFaces on each sampled frame (FaceAttributes DEFAULT or ALL)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.video.frames import VideoInfo
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer
from argus.workers.video.analyzers.context import image_task
from argus.workers.video.analyzers.per_frame import PerFrameAnalyzer


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    task = image_task(params, "DetectFaces", ())
    task.params["Attributes"] = [params.get("FaceAttributes") or "DEFAULT"]
    return PerFrameAnalyzer(
        runtime,
        task,
        runtime.settings.video.face_sample_fps,
        lambda body: [{"Face": face} for face in body["FaceDetails"]],
    )
