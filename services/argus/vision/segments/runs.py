"""Grouping per-frame decisions into segments: runs of flagged frames, short gaps bridged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    start: int
    end: int  # last flagged frame, included
    scores: list[float] = field(default_factory=list)  # one per frame from start to end (gaps: 0)

    @property
    def frames(self) -> int:
        return self.end - self.start + 1

    @property
    def mean_score(self) -> float:
        return sum(self.scores) / len(self.scores)


class RunCollector:
    """Collects runs of flagged frames; a gap of up to ``max_gap`` unflagged frames does not end a run.

    A run is returned once it can no longer grow, if it lasts at least ``min_frames``.
    """

    def __init__(self, min_frames: int = 1, max_gap: int = 0) -> None:
        self._min_frames = max(1, min_frames)
        self._max_gap = max(0, max_gap)
        self._open: Run | None = None

    def add(self, frame: int, flagged: bool, score: float = 1.0) -> list[Run]:
        """Record ``frame`` (frames arrive in order, every frame once)."""
        run = self._open
        if flagged:
            if run is None:
                self._open = Run(frame, frame, [score])
                return []
            run.scores.extend([0.0] * (frame - run.end - 1))
            run.scores.append(score)
            run.end = frame
            return []
        if run is not None and frame - run.end > self._max_gap:
            return self.finish()
        return []

    def finish(self) -> list[Run]:
        run, self._open = self._open, None
        if run is None or run.frames < self._min_frames:
            return []
        return [run]
