"""ByteTrack (Zhang et al., ECCV 2022): multi-object tracking by associating every detection box.

Each frame (:meth:`ByteTracker.update`):

1. Detections split into high (score >= ``high_threshold``) and low (``low_threshold`` <= score <
   ``high_threshold``) ones; every track's Kalman filter (:mod:`.kalman`) predicts its box.
2. Confirmed and lost tracks are matched to high detections by the Hungarian algorithm on
   ``1 - IoU * score`` (at most ``first_max_cost``); a matched lost track is found again.
3. Confirmed tracks left over are matched to the low detections on ``1 - IoU`` (at most
   ``second_max_cost``): occluded, blurred people keep their track. Those still unmatched are lost.
4. Tentative tracks (born in the previous frame) are matched to the remaining high detections
   (``tentative_max_cost``); matched ones are confirmed and get the next index, the others die.
5. Remaining high detections of score >= ``new_track_threshold`` start tentative tracks (confirmed at
   once in the very first frame); lost tracks unseen for more than ``lost_seconds`` are dropped.

Indices (``track_id``) are 0-based and given in order of confirmation. Boxes are ``(left, top, width,
height)`` in any consistent unit (Argus uses coordinates normalised to [0, 1]); a track reports the box
of the detection it matched in this frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from argus.vision.tracking.assignment import Box, assign, iou_matrix
from argus.vision.tracking.kalman import KalmanBoxFilter, Matrix, Vector, to_box, to_measurement


@dataclass(frozen=True)
class Detection:
    box: Box
    score: float
    payload: Any = None


@dataclass(frozen=True)
class Track:
    track_id: int
    box: Box
    score: float
    payload: Any = None


class _State(Enum):
    TENTATIVE = "tentative"
    TRACKED = "tracked"
    LOST = "lost"


@dataclass
class _Track:
    mean: Vector
    covariance: Matrix
    state: _State
    last_frame: int
    track_id: int | None = None

    @property
    def predicted_box(self) -> Box:
        return to_box(self.mean)


class ByteTracker:
    def __init__(
        self,
        frame_rate: float,
        high_threshold: float = 0.5,
        low_threshold: float = 0.1,
        new_track_threshold: float = 0.6,
        first_max_cost: float = 0.8,
        second_max_cost: float = 0.5,
        tentative_max_cost: float = 0.7,
        lost_seconds: float = 1.0,
    ) -> None:
        if frame_rate <= 0:
            raise ValueError(f"frame_rate must be positive, got {frame_rate}")
        self.high_threshold = high_threshold
        self.low_threshold = low_threshold
        self.new_track_threshold = new_track_threshold
        self.first_max_cost = first_max_cost
        self.second_max_cost = second_max_cost
        self.tentative_max_cost = tentative_max_cost
        self.max_lost_frames = max(1, round(lost_seconds * frame_rate))
        self._kalman = KalmanBoxFilter()
        self._tracks: list[_Track] = []
        self._frame = 0
        self._next_id = 0

    def update(self, detections: list[Detection]) -> list[Track]:
        """Associate this frame's detections; return the confirmed tracks seen in it, by index."""
        self._frame += 1
        high = [d for d in detections if d.score >= self.high_threshold]
        low = [d for d in detections if self.low_threshold <= d.score < self.high_threshold]
        for track in self._tracks:
            if track.state is not _State.TRACKED:
                track.mean[7] = 0.0  # as ByteTrack: a box unseen for a frame stops growing
            track.mean, track.covariance = self._kalman.predict(track.mean, track.covariance)
        seen: list[tuple[_Track, Detection]] = []

        pool = [t for t in self._tracks if t.state is not _State.TENTATIVE]
        ious = iou_matrix([t.predicted_box for t in pool], [d.box for d in high])
        scores = np.array([d.score for d in high])[None] if high else np.zeros((1, 0))
        pairs, free_tracks, free_high = assign(1.0 - ious * scores, self.first_max_cost)
        seen += [self._match(pool[t], high[d]) for t, d in pairs]

        still = [pool[t] for t in free_tracks if pool[t].state is _State.TRACKED]
        ious = iou_matrix([t.predicted_box for t in still], [d.box for d in low])
        pairs, free_still, _ = assign(1.0 - ious, self.second_max_cost)
        seen += [self._match(still[t], low[d]) for t, d in pairs]
        for t in free_still:
            still[t].state = _State.LOST

        tentative = [t for t in self._tracks if t.state is _State.TENTATIVE]
        rest = [high[d] for d in free_high]
        ious = iou_matrix([t.predicted_box for t in tentative], [d.box for d in rest])
        scores = np.array([d.score for d in rest])[None] if rest else np.zeros((1, 0))
        pairs, free_tentative, free_rest = assign(1.0 - ious * scores, self.tentative_max_cost)
        seen += [self._match(tentative[t], rest[d]) for t, d in pairs]
        dead = {id(tentative[t]) for t in free_tentative}

        for d in free_rest:
            detection = rest[d]
            if detection.score < self.new_track_threshold:
                continue
            mean, covariance = self._kalman.initiate(to_measurement(detection.box))
            track = _Track(mean, covariance, _State.TENTATIVE, self._frame)
            self._tracks.append(track)
            if self._frame == 1:
                seen.append(self._match(track, detection, measured=False))
        self._tracks = [t for t in self._tracks if id(t) not in dead and not self._expired(t)]
        found = [Track(t.track_id, d.box, d.score, d.payload) for t, d in seen if t.track_id is not None]
        return sorted(found, key=lambda track: track.track_id)

    def _expired(self, track: _Track) -> bool:
        return track.state is _State.LOST and self._frame - track.last_frame > self.max_lost_frames

    def _match(self, track: _Track, detection: Detection, measured: bool = True) -> tuple[_Track, Detection]:
        if measured:
            track.mean, track.covariance = self._kalman.update(
                track.mean, track.covariance, to_measurement(detection.box)
            )
        if track.track_id is None:
            track.track_id = self._next_id
            self._next_id += 1
        track.state = _State.TRACKED
        track.last_frame = self._frame
        return track, detection
