"""End credits: text lines scrolling upward on a dark background at the end of the video.

Per frame, on the BT.709 luma of the frame area-downscaled to at most :data:`ANALYSIS_WIDTH` pixels
wide (wide enough to keep 1080p credit lettering):

* dark background: at least :data:`MIN_DARK_SHARE` of the pixels are darker than :data:`DARK_LUMA`;
* lines of text: at least :data:`MIN_EMPTY_ROWS` of the rows are empty (no pixel above
  :data:`EMPTY_ROW_LUMA`: the gaps between lines and the margins), and :data:`TEXT_ROWS` of the rows
  hold text (at least :data:`ROW_TEXT_SHARE` of their pixels brighter than :data:`TEXT_LUMA`);
* lettering, not lit objects: at least :data:`MIN_THIN_SHARE` of the bright pixels have a dark pixel
  within :data:`STROKE_PX` pixels left or right (strokes are thin; a lit face or lamp is a blob);
* scrolling up: against the frame :data:`REFERENCE_S` seconds earlier, the vertical shift ``s`` (rows
  moved up, ``1 .. height/2``) that minimises the mean absolute difference ``e(s)`` of the overlapping
  rows explains the change far better than no motion: the frame's score ``1 - e(s) / e(0)`` is at
  least :data:`MIN_SCORE`.

Flagged frames are grouped into runs (gaps up to :data:`MAX_GAP_S` bridged, at least
:data:`MIN_DURATION_S` long); a run is end credits when it ends within :data:`END_WINDOW_S` seconds
(or :data:`END_WINDOW_SHARE` of the duration, if longer) of the end of the video. It starts at the
reference frame of its first flagged frame (that frame already showed lettering on dark, and the scroll
was measured from it). Its confidence is 100 times the mean frame score over the run (bridged gaps
count 0).
"""

from __future__ import annotations

from collections import deque

import numpy as np
from numpy.typing import NDArray

from argus.vision.segments.runs import Run, RunCollector
from argus.vision.segments.scaling import WORKING_WIDTH, downscale

ANALYSIS_WIDTH = WORKING_WIDTH
DARK_LUMA = 40.0
MIN_DARK_SHARE = 0.8
EMPTY_ROW_LUMA = 64.0
MIN_EMPTY_ROWS = 0.3
TEXT_LUMA = 128.0
ROW_TEXT_SHARE = 0.01
TEXT_ROWS = (0.05, 0.9)
STROKE_PX = 3
MIN_THIN_SHARE = 0.6
REFERENCE_S = 0.5
MIN_SCORE = 0.5
MIN_CHANGE = 1.0  # e(0) below this (grey levels): nothing moved
MAX_GAP_S = 0.5
MIN_DURATION_S = 2.0
END_WINDOW_S = 10.0
END_WINDOW_SHARE = 0.1
BT709 = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)

Grey = NDArray[np.float32]


def credits_luma(rgb: NDArray[np.uint8]) -> Grey:
    """BT.709 luma of the frame downscaled to at most :data:`ANALYSIS_WIDTH` wide."""
    luma: Grey = downscale(rgb, ANALYSIS_WIDTH).astype(np.float32) @ BT709
    return luma


def looks_like_text_on_dark(grey: Grey) -> bool:
    """Whether a luma frame shows bright, thin lines of lettering on a dark background."""
    if float(np.mean(grey < DARK_LUMA)) < MIN_DARK_SHARE:
        return False
    if float(np.mean(grey.max(axis=1) <= EMPTY_ROW_LUMA)) < MIN_EMPTY_ROWS:
        return False
    bright = grey > TEXT_LUMA
    rows = float(np.mean(bright.mean(axis=1) >= ROW_TEXT_SHARE))
    if not TEXT_ROWS[0] <= rows <= TEXT_ROWS[1]:
        return False
    dark = grey < EMPTY_ROW_LUMA
    near_dark = np.zeros_like(dark)
    for offset in range(1, STROKE_PX + 1):
        near_dark[:, offset:] |= dark[:, :-offset]
        near_dark[:, :-offset] |= dark[:, offset:]
    thin = int(np.count_nonzero(bright & near_dark)) / max(1, int(np.count_nonzero(bright)))
    return thin >= MIN_THIN_SHARE


def upward_scroll_score(grey: Grey, earlier: Grey) -> float:
    """``1 - e(s)/e(0)`` for the best upward shift ``s`` of ``earlier`` onto ``grey`` (0 if none)."""
    height = grey.shape[0]
    still = float(np.mean(np.abs(grey - earlier)))
    if still < MIN_CHANGE:
        return 0.0
    best = still
    for shift in range(1, height // 2 + 1):
        error = float(np.mean(np.abs(grey[: height - shift] - earlier[shift:])))
        best = min(best, error)
    return max(0.0, 1.0 - best / still)


class EndCreditsDetector:
    def __init__(self, frame_rate: float, duration_frames: int) -> None:
        self._lag = max(1, round(REFERENCE_S * frame_rate))
        self._history: deque[Grey | None] = deque(maxlen=self._lag)
        self._runs = RunCollector(
            min_frames=round(MIN_DURATION_S * frame_rate), max_gap=round(MAX_GAP_S * frame_rate)
        )
        self._closed: list[Run] = []
        self._frame_rate = frame_rate
        self._duration_frames = duration_frames
        self._last_frame = -1

    def feed(self, frame: int, rgb: NDArray[np.uint8]) -> None:
        grey = credits_luma(rgb)
        textual = looks_like_text_on_dark(grey)
        earlier = self._history[0] if len(self._history) == self._lag else None
        score = upward_scroll_score(grey, earlier) if textual and earlier is not None else 0.0
        self._history.append(grey if textual else None)
        self._closed.extend(self._runs.add(frame, score >= MIN_SCORE, score))
        self._last_frame = frame

    def finish(self) -> list[Run]:
        """The runs that are end credits (the video's end is known now)."""
        last = max(self._duration_frames - 1, self._last_frame)
        window = max(END_WINDOW_S * self._frame_rate, END_WINDOW_SHARE * (last + 1))
        found = []
        for run in [*self._closed, *self._runs.finish()]:
            if last - run.end > window or run.mean_score < MIN_SCORE:
                continue
            # The first flagged frame measured the scroll since its reference frame, which already
            # showed lettering on dark: the credits began there.
            lead = min(self._lag, run.start)
            found.append(Run(run.start - lead, run.end, [run.scores[0]] * lead + run.scores))
        return found
