"""Segment detection over a frame stream: the shots and technical cues a job asked for, filtered.

Each frame is area-downscaled once to :data:`~.scaling.WORKING_WIDTH` pixels wide; TransNetV2's 48x27
input and the colour-bar frame are made from that copy, credits read it, and black frames sample the
full frame's pixels. Nothing is kept at full size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from argus.vision.segments.black import BlackFrameFilter
from argus.vision.segments.cues import TechnicalCueDetector
from argus.vision.segments.scaling import WORKING_WIDTH, downscale
from argus.vision.segments.segment import Segment, SegmentType
from argus.vision.segments.shots import ShotSegmenter
from argus.vision.segments.transnet import TransitionScorer, TransNetV2Model, thumbnail

DEFAULT_MIN_CONFIDENCE = 50.0


@dataclass(frozen=True)
class SegmentOptions:
    """What StartSegmentDetection asked for (``SegmentTypes`` and ``Filters``)."""

    types: frozenset[SegmentType] = frozenset(SegmentType)
    shot_min_confidence: float = DEFAULT_MIN_CONFIDENCE
    cue_min_confidence: float = DEFAULT_MIN_CONFIDENCE
    black: BlackFrameFilter = field(default_factory=BlackFrameFilter)


class SegmentDetector:
    def __init__(
        self, options: SegmentOptions, frame_rate: float, frame_count: int, model: TransNetV2Model | None
    ) -> None:
        self._options = options
        self._shots: tuple[TransitionScorer, ShotSegmenter] | None = None
        if SegmentType.SHOT in options.types:
            if model is None:
                raise ValueError("shot detection needs the TransNetV2 model")
            self._shots = (TransitionScorer(model), ShotSegmenter())
        self._cues = (
            TechnicalCueDetector(frame_rate, frame_count, options.black)
            if SegmentType.TECHNICAL_CUE in options.types
            else None
        )

    def feed(self, frame: int, rgb: NDArray[np.uint8]) -> list[Segment]:
        working = downscale(rgb, WORKING_WIDTH)
        found: list[Segment] = []
        if self._shots is not None:
            scorer, segmenter = self._shots
            found += segmenter.feed(scorer.feed(thumbnail(working)))
        if self._cues is not None:
            found += self._cues.feed(frame, rgb, working)
        return self._filtered(found)

    def finish(self) -> list[Segment]:
        found: list[Segment] = []
        if self._shots is not None:
            scorer, segmenter = self._shots
            found += segmenter.feed(scorer.finish())
            found += segmenter.finish()
        if self._cues is not None:
            found += self._cues.finish()
        return self._filtered(found)

    def _filtered(self, segments: list[Segment]) -> list[Segment]:
        kept = []
        for segment in segments:
            minimum = (
                self._options.shot_min_confidence
                if segment.type is SegmentType.SHOT
                else self._options.cue_min_confidence
            )
            if segment.confidence >= minimum:
                kept.append(segment)
        return sorted(kept, key=lambda segment: (segment.start_frame, segment.type.value))
