"""StartSegmentDetection's analyzer: shots and technical cues over every frame of the video.

Items are GetSegmentDetection ``Segments`` entries, returned as each segment closes (a shot once the
next transition has been scored, TransNetV2 reads 75-275 frames ahead; end credits only at the end).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argus.core.models.registry import Task
from argus.video.frames import VideoFrame, VideoInfo
from argus.vision.segments.black import (
    DEFAULT_MAX_PIXEL_THRESHOLD,
    DEFAULT_MIN_COVERAGE_PERCENTAGE,
    BlackFrameFilter,
)
from argus.vision.segments.detector import DEFAULT_MIN_CONFIDENCE, SegmentDetector, SegmentOptions
from argus.vision.segments.segment import SegmentType
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer, ResultItem

MODEL_VERSIONS: dict[str, str] = {
    SegmentType.SHOT.value: "TransNetV2 1.0.5",
    SegmentType.TECHNICAL_CUE.value: "1.0",
}
"""``SelectedSegmentTypes[].ModelVersion`` per segment type."""


def options_from(params: Mapping[str, Any]) -> SegmentOptions:
    """The detector's options from StartSegmentDetection's ``SegmentTypes`` and ``Filters``."""
    filters = params.get("Filters") or {}
    cue_filter = filters.get("TechnicalCueFilter") or {}
    shot_filter = filters.get("ShotFilter") or {}
    black = cue_filter.get("BlackFrame") or {}
    types = params.get("SegmentTypes") or [member.value for member in SegmentType]
    return SegmentOptions(
        types=frozenset(SegmentType(value) for value in types),
        shot_min_confidence=float(shot_filter.get("MinSegmentConfidence", DEFAULT_MIN_CONFIDENCE)),
        cue_min_confidence=float(cue_filter.get("MinSegmentConfidence", DEFAULT_MIN_CONFIDENCE)),
        black=BlackFrameFilter(
            max_pixel_threshold=float(black.get("MaxPixelThreshold", DEFAULT_MAX_PIXEL_THRESHOLD)),
            min_coverage_percentage=float(
                black.get("MinCoveragePercentage", DEFAULT_MIN_COVERAGE_PERCENTAGE)
            ),
        ),
    )


class SegmentAnalyzer:
    sample_fps: float | None = None  # every frame: cuts are frame-exact

    def __init__(self, detector: SegmentDetector, frame_rate: float) -> None:
        self._detector = detector
        self._frame_rate = frame_rate

    def feed(self, frame: VideoFrame) -> list[ResultItem]:
        segments = self._detector.feed(frame.index, frame.pixels)
        return [segment.to_item(self._frame_rate) for segment in segments]

    def finish(self) -> list[ResultItem]:
        return [segment.to_item(self._frame_rate) for segment in self._detector.finish()]


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    if video.frame_rate <= 0:
        raise ValueError("the video has no frame rate; segments need frame numbers")
    options = options_from(params)
    model = runtime.registry.get(Task.SHOT_DETECTION) if SegmentType.SHOT in options.types else None
    detector = SegmentDetector(options, video.frame_rate, video.frame_count, model)
    return SegmentAnalyzer(detector, video.frame_rate)
