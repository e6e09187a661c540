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

    def to_item(self, frame_rate: float) -> dict[str, Any]:
        """The ``SegmentDetection`` shape, with Rekognition's conventions (its documented example: a
        black segment over frames 0-299 at 29.97 fps has EndFrameNumber 299, DurationFrames 299,
        EndTimecodeSMPTE 00:00:09;29 and EndTimestampMillis 9976): the end values are those of the
        segment's last frame, durations are end minus start, timestamps are rounded down."""
        start_ms = _millis(self.start_frame, frame_rate)
        end_ms = _millis(self.end_frame, frame_rate)
        duration_frames = self.end_frame - self.start_frame
        item: dict[str, Any] = {
            "Type": self.type.value,
            "StartTimestampMillis": start_ms,
            "EndTimestampMillis": end_ms,
            "DurationMillis": end_ms - start_ms,
            "StartTimecodeSMPTE": smpte_timecode(self.start_frame, frame_rate),
            "EndTimecodeSMPTE": smpte_timecode(self.end_frame, frame_rate),
            "DurationSMPTE": smpte_timecode(duration_frames, frame_rate),
            "StartFrameNumber": self.start_frame,
            "EndFrameNumber": self.end_frame,
            "DurationFrames": duration_frames,
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
