"""A detected segment and its GetSegmentDetection ``Segments`` entry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from argus.vision.segments.timecode import smpte_timecode


class SegmentType(StrEnum):
    SHOT = "SHOT"
    TECHNICAL_CUE = "TECHNICAL_CUE"


class CueType(StrEnum):
    BLACK_FRAMES = "BlackFrames"
    COLOR_BARS = "ColorBars"
    END_CREDITS = "EndCredits"


@dataclass(frozen=True)
class Segment:
    """Frames ``start_frame`` to ``end_frame`` (both included, 0-based) of one kind.

    ``cue`` is set for technical cues; ``index`` (0-based, in order) for shots. ``confidence`` 50-100.
    """

    type: SegmentType
    start_frame: int
    end_frame: int
    confidence: float
    cue: CueType | None = None
    index: int | None = None

    @property
    def duration_frames(self) -> int:
        return self.end_frame - self.start_frame + 1

    def to_item(self, frame_rate: float) -> dict[str, Any]:
        """The ``SegmentDetection`` shape. A segment ends where its last frame ends: the end
        timestamp and timecode are those of the frame after it; timestamps are rounded down."""
        start_ms = _millis(self.start_frame, frame_rate)
        end_ms = _millis(self.end_frame + 1, frame_rate)
        item: dict[str, Any] = {
            "Type": self.type.value,
            "StartTimestampMillis": start_ms,
            "EndTimestampMillis": end_ms,
            "DurationMillis": end_ms - start_ms,
            "StartTimecodeSMPTE": smpte_timecode(self.start_frame, frame_rate),
            "EndTimecodeSMPTE": smpte_timecode(self.end_frame + 1, frame_rate),
            "DurationSMPTE": smpte_timecode(self.duration_frames, frame_rate),
            "StartFrameNumber": self.start_frame,
            "EndFrameNumber": self.end_frame,
            "DurationFrames": self.duration_frames,
        }
        confidence = round(min(100.0, max(50.0, self.confidence)), 3)
        if self.type is SegmentType.SHOT:
            item["ShotSegment"] = {"Index": self.index, "Confidence": confidence}
        else:
            assert self.cue is not None
            item["TechnicalCueSegment"] = {"Type": self.cue.value, "Confidence": confidence}
        return item


def _millis(frame: int, frame_rate: float) -> int:
    return math.floor(frame * 1000.0 / frame_rate + 1e-6)
