"""AggregateBy SEGMENTS: one item per label per continuous stretch of time it was detected.

GetLabelDetection and GetContentModeration answer, with ``AggregateBy: SEGMENTS``, one item per
label per segment instead of one per label per sampled frame: ``StartTimestampMillis``,
``EndTimestampMillis``, ``DurationMillis`` (end minus start) and ``Timestamp`` (equal to the
start, as Rekognition documents). The worker computes the segments once, after the last frame,
from the job's TIMESTAMPS items read back in (name, time) order, and stores them as a second
view of the results:

* Detections of one label at sampled times t1 < t2 < ... belong to one segment while
  ``t(i+1) - t(i) <= segment_gap_samples x interval`` (1.5 sampling intervals by default): a
  sample at which the label was not detected ends the segment, the next detection opens another.
* The sampling interval is ``1000 / sample_fps`` ms, or the frame duration when the video has
  fewer frames a second than the sampling rate (every frame is sampled then).
* A sampled frame stands for the time until the next sample, so a segment ends one interval after
  its last detection, never past the end of the video; a label seen at one sample only lasts one
  interval.
* The segment's label is its most confident detection (the earliest of equals), with
  ``Instances`` emptied: Rekognition returns no instance boxes when aggregating by segments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from argus.jobs.sort_keys import timestamp_of

ResultItem = dict[str, Any]


@dataclass(frozen=True)
class SegmentRules:
    """How detections become segments for one job's video and sampling rate."""

    interval_ms: float
    """Time between two sampled frames."""
    max_gap_ms: float
    """Largest time between two detections of one segment."""
    video_end_ms: int
    """The video's duration: no segment ends later (0 when unknown: no cap)."""

    @classmethod
    def for_video(
        cls, sample_fps: float | None, frame_rate: float, duration_ms: int, gap_samples: float
    ) -> SegmentRules:
        frame_ms = 1000.0 / frame_rate if frame_rate > 0 else 0.0
        sample_ms = 1000.0 / sample_fps if sample_fps else 0.0
        interval = max(frame_ms, sample_ms)
        if interval <= 0:
            raise ValueError("a video needs a frame rate or a sampling rate to be aggregated")
        return cls(interval_ms=interval, max_gap_ms=gap_samples * interval, video_end_ms=duration_ms)

    def end_of(self, start_ms: int, last_ms: int) -> int:
        end = last_ms + round(self.interval_ms)
        if self.video_end_ms > 0:
            end = min(end, self.video_end_ms)
        return max(start_ms, end)


@dataclass
class _OpenSegment:
    name: str
    start_ms: int
    last_ms: int
    best: Mapping[str, Any]


def _confidence(label: Mapping[str, Any]) -> float:
    return float(label.get("Confidence", 0.0))


def _segment_item(segment: _OpenSegment, member: str, rules: SegmentRules) -> ResultItem:
    label = dict(segment.best)
    if "Instances" in label:
        label["Instances"] = []
    end = rules.end_of(segment.start_ms, segment.last_ms)
    return {
        "Timestamp": segment.start_ms,
        member: label,
        "StartTimestampMillis": segment.start_ms,
        "EndTimestampMillis": end,
        "DurationMillis": end - segment.start_ms,
    }


def segments(items: Iterable[Mapping[str, Any]], member: str, rules: SegmentRules) -> Iterator[ResultItem]:
    """The segment items of ``items`` (TIMESTAMPS items sorted by name, then time), in the same
    order. ``member`` is the item member holding the label (``Label``, ``ModerationLabel``).
    Holds one open segment at a time, so any number of items streams through."""
    current: _OpenSegment | None = None
    for item in items:
        label: Mapping[str, Any] = item[member]
        name = str(label.get("Name", ""))
        timestamp = timestamp_of(item)
        if current is not None and current.name == name and timestamp - current.last_ms <= rules.max_gap_ms:
            current.last_ms = timestamp
            if _confidence(label) > _confidence(current.best):
                current.best = label
            continue
        if current is not None:
            yield _segment_item(current, member, rules)
        current = _OpenSegment(name, timestamp, timestamp, label)
    if current is not None:
        yield _segment_item(current, member, rules)
