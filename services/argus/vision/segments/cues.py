"""Technical cues of a frame stream: black frames, colour bars and end credits as segments."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from argus.vision.segments.black import BlackFrameFilter, black_coverage
from argus.vision.segments.colorbars import ANALYSIS_WIDTH, MAX_DEVIATION, color_bars_score
from argus.vision.segments.credits import EndCreditsDetector
from argus.vision.segments.runs import Run, RunCollector
from argus.vision.segments.scaling import downscale
from argus.vision.segments.segment import CueType, Segment, SegmentType

COLOR_BARS_MIN_S = 0.5  # shorter flashes of a bar-like picture are not a test pattern


def analysis_frame(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The frame area-downscaled to :data:`ANALYSIS_WIDTH` pixels wide (aspect kept)."""
    return downscale(rgb, ANALYSIS_WIDTH)


class TechnicalCueDetector:
    def __init__(self, frame_rate: float, frame_count: int, black: BlackFrameFilter) -> None:
        self._black = black
        self._black_runs = RunCollector()
        self._bar_runs = RunCollector(min_frames=round(COLOR_BARS_MIN_S * frame_rate))
        self._credits = EndCreditsDetector(frame_rate, frame_count)

    def feed(self, frame: int, rgb: NDArray[np.uint8], working: NDArray[np.uint8]) -> list[Segment]:
        """``rgb`` the full frame (black coverage samples its pixels), ``working`` its downscaled copy
        (:data:`~.scaling.WORKING_WIDTH`) that colour bars and credits read."""
        coverage = black_coverage(rgb, self._black.max_black_pixel_value)
        is_black = coverage >= self._black.min_coverage_percentage
        margin = self._black.coverage_margin(coverage)
        closed = _segments(CueType.BLACK_FRAMES, self._black_runs.add(frame, is_black, 50.0 + 50.0 * margin))
        bars = 0.0 if is_black else color_bars_score(analysis_frame(working))
        is_bars = bars > 1.0 - MAX_DEVIATION
        closed += _segments(CueType.COLOR_BARS, self._bar_runs.add(frame, is_bars, 100.0 * bars))
        self._credits.feed(frame, working)
        return closed

    def finish(self) -> list[Segment]:
        closed = _segments(CueType.BLACK_FRAMES, self._black_runs.finish())
        closed += _segments(CueType.COLOR_BARS, self._bar_runs.finish())
        credits = [
            Run(run.start, run.end, [100.0 * score for score in run.scores]) for run in self._credits.finish()
        ]
        return closed + _segments(CueType.END_CREDITS, credits)


def _segments(cue: CueType, runs: list[Run]) -> list[Segment]:
    return [
        Segment(
            type=SegmentType.TECHNICAL_CUE,
            start_frame=run.start,
            end_frame=run.end,
            confidence=run.mean_score,
            cue=cue,
        )
        for run in runs
    ]
