"""StartCelebrityRecognition: RecognizeCelebrities on each sampled frame, reshaped as CelebrityDetail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.video.frames import VideoInfo
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer
from argus.workers.video.analyzers.context import image_task
from argus.workers.video.analyzers.per_frame import PerFrameAnalyzer


def celebrity_detail(celebrity: Mapping[str, Any]) -> dict[str, Any]:
    face = celebrity["Face"]
    detail: dict[str, Any] = {
        "Urls": celebrity.get("Urls", []),
        "Name": celebrity["Name"],
        "Id": celebrity["Id"],
        "Confidence": celebrity["MatchConfidence"],
        "BoundingBox": face["BoundingBox"],
        "Face": face,
    }
    if "KnownGender" in celebrity:
        detail["KnownGender"] = celebrity["KnownGender"]
    return detail


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    return PerFrameAnalyzer(
        runtime,
        image_task(params, "RecognizeCelebrities", ()),
        runtime.settings.video.celebrity_sample_fps,
        lambda body: [{"Celebrity": celebrity_detail(c)} for c in body.get("CelebrityFaces", [])],
    )
