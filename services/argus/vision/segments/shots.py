"""Shots from per-frame transition probabilities.

A transition is a run of consecutive frames whose probability exceeds :data:`THRESHOLD` (0.5, as in
TransNetV2's ``predictions_to_scenes``). The cut is placed after the run's most probable frame
(TransNetV2 marks the last frame of the outgoing shot at a hard cut): the shot before ends on that frame
and the next one starts on the frame after, so shots tile the video.

Confidence of a shot (50-100) is the weakest of the evidence that delimits it: the peak probability of
the transition that starts it and of the one that ends it (the video's own start and end are certain),
and ``1 - p`` of its most transition-like frame outside those transitions (how sure the network is that
the shot is not cut once more). Every term is at least 0.5 by construction.
"""

from __future__ import annotations

from collections.abc import Iterable

from argus.vision.segments.segment import Segment, SegmentType

THRESHOLD = 0.5


class ShotSegmenter:
    """Turns the stream of frame probabilities into shots, each returned as soon as it is closed."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self._threshold = threshold
        self._frame = 0  # next frame number
        self._shot_start = 0
        self._start_certainty = 1.0
        self._interior_max = 0.0
        self._run_peak: tuple[int, float] | None = None  # (frame, probability) of the open transition
        self._index = 0

    def feed(self, probabilities: Iterable[float]) -> list[Segment]:
        closed: list[Segment] = []
        for value in probabilities:
            probability = float(value)
            if probability > self._threshold:
                if self._run_peak is None or probability > self._run_peak[1]:
                    self._run_peak = (self._frame, probability)
            else:
                if self._run_peak is not None:
                    closed.extend(self._cut())
                self._interior_max = max(self._interior_max, probability)
            self._frame += 1
        return closed

    def finish(self) -> list[Segment]:
        closed = self._cut() if self._run_peak is not None else []
        if self._frame > self._shot_start:
            closed.append(self._shot(self._frame - 1, end_certainty=1.0))
        return closed

    def _cut(self) -> list[Segment]:
        assert self._run_peak is not None
        peak_frame, peak = self._run_peak
        self._run_peak = None
        closed = []
        if peak_frame >= self._shot_start:
            closed.append(self._shot(peak_frame, end_certainty=peak))
        self._shot_start = peak_frame + 1
        self._start_certainty = peak
        self._interior_max = 0.0
        return closed

    def _shot(self, end_frame: int, end_certainty: float) -> Segment:
        confidence = min(self._start_certainty, end_certainty, 1.0 - self._interior_max)
        shot = Segment(
            type=SegmentType.SHOT,
            start_frame=self._shot_start,
            end_frame=end_frame,
            confidence=100.0 * confidence,
            index=self._index,
        )
        self._index += 1
        return shot
