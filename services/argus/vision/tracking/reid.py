"""Appearance re-identification: which earlier person ``Index`` a newly tracked person is.

Motion association (ByteTrack) keeps an Index while a person stays in view; it cannot tell who a person
is after a cut or after a long absence. Each Index therefore keeps an appearance:

* ``face``: the unit mean of the person's face embeddings (dlib ResNet, as CompareFaces and
  SearchFaces), taken while their face is visible;
* ``torso``: the mean colour histogram (:func:`~argus.vision.tracking.cuts.hsv_histogram`) of the
  torso region of their box (:func:`torso_region`), the fallback when faces are not seen.

When a track the tracker has not shown before appears (a new shot, a person back after being lost,
or a new person), it is compared with the Indices not seen in this frame (seen at most
``memory_frames`` ago): when both have a face, the faces decide, a match being a face similarity of at
least ``face_similarity`` (80, the default threshold of CompareFaces and SearchFaces); otherwise a
torso histogram distance of at most ``torso_distance`` (:data:`TORSO_MATCH_DISTANCE`) is a match.
Face matches go first (most similar first), then torso matches (closest first), each Index to one
track. A matched track takes the Index; the others get the next new Index (0-based, in order of
appearance). Thresholds and their measurements: docs/video-tracking.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from argus.vision.faces.similarity import cosine_for_similarity
from argus.vision.tracking.assignment import Box
from argus.vision.tracking.cuts import Histogram, histogram_distance, hsv_histogram

FACE_MATCH_SIMILARITY = 80.0
TORSO_MATCH_DISTANCE = 0.3
TORSO = (0.25, 0.2, 0.5, 0.35)  # left, top, width, height as shares of the person's box
MIN_TORSO_PIXELS = 64

Embedding = NDArray[np.float32]


@dataclass(frozen=True)
class Appearance:
    """What one track looks like in one frame; either part may be missing."""

    face: Embedding | None = None
    torso: Histogram | None = None


def torso_region(box: Box) -> Box:
    """The torso part (:data:`TORSO`) of a person's ``(left, top, width, height)`` box."""
    left, top, width, height = box
    share_left, share_top, share_width, share_height = TORSO
    return (left + share_left * width, top + share_top * height, share_width * width, share_height * height)


def torso_histogram(rgb: NDArray[np.uint8], box: Box) -> Histogram | None:
    """Colour histogram of the torso of a person whose box is normalised to the frame; ``None`` when
    the region inside the frame has fewer than :data:`MIN_TORSO_PIXELS` pixels."""
    frame_height, frame_width = rgb.shape[:2]
    left, top, width, height = torso_region(box)
    x0, y0 = max(0, round(left * frame_width)), max(0, round(top * frame_height))
    x1 = min(frame_width, round((left + width) * frame_width))
    y1 = min(frame_height, round((top + height) * frame_height))
    if (x1 - x0) * (y1 - y0) < MIN_TORSO_PIXELS or x1 <= x0 or y1 <= y0:
        return None
    return hsv_histogram(rgb[y0:y1, x0:x1])


@dataclass
class _Identity:
    index: int
    last_frame: int
    face_sum: NDArray[np.float64] | None = None
    torso_sum: NDArray[np.float64] | None = None
    torso_count: int = 0

    @property
    def face(self) -> NDArray[np.float64] | None:
        if self.face_sum is None:
            return None
        return np.asarray(self.face_sum / max(float(np.linalg.norm(self.face_sum)), 1e-12))

    @property
    def torso(self) -> NDArray[np.float64] | None:
        return None if self.torso_sum is None else self.torso_sum / self.torso_count

    def add(self, appearance: Appearance, frame: int) -> None:
        self.last_frame = frame
        if appearance.face is not None:
            face = appearance.face.astype(np.float64)
            self.face_sum = face if self.face_sum is None else self.face_sum + face
        if appearance.torso is not None:
            torso = appearance.torso.astype(np.float64)
            self.torso_sum = torso if self.torso_sum is None else self.torso_sum + torso
            self.torso_count += 1


class Reidentifier:
    """Maps the tracker's track ids to person Indices, one call of :meth:`assign` per frame.

    Call :meth:`new_shot` when the tracker is replaced (its track ids start again): tracks of the new
    tracker are all new and are re-identified by appearance only.
    """

    def __init__(
        self,
        face_similarity: float = FACE_MATCH_SIMILARITY,
        torso_distance: float = TORSO_MATCH_DISTANCE,
        memory_frames: int | None = None,
    ) -> None:
        self.face_cosine = cosine_for_similarity(face_similarity)
        self.torso_distance = torso_distance
        self.memory_frames = memory_frames
        self._shot = 0
        self._frame = 0
        self._indices: dict[tuple[int, int], int] = {}  # (shot, track id) -> Index
        self._identities: dict[int, _Identity] = {}

    def new_shot(self) -> None:
        self._shot += 1

    def wants_face(self, track_id: int) -> bool:
        """Whether a face embedding of this track would be used: the track is new, or its Index has
        no face yet (embeddings cost a network pass each)."""
        index = self._indices.get((self._shot, track_id))
        return index is None or self._identities[index].face_sum is None

    def assign(self, appearances: Mapping[int, Appearance]) -> dict[int, int]:
        """The Index of every track seen in this frame (``track id -> Appearance``)."""
        self._frame += 1
        result = {
            track_id: self._indices[(self._shot, track_id)]
            for track_id in appearances
            if (self._shot, track_id) in self._indices
        }
        new = sorted(track_id for track_id in appearances if track_id not in result)
        visible = set(result.values())
        candidates = [
            identity
            for identity in self._identities.values()
            if identity.index not in visible
            and (self.memory_frames is None or self._frame - identity.last_frame <= self.memory_frames)
        ]
        ranked: list[tuple[tuple[int, float], int, int]] = []
        for track_id in new:
            for identity in candidates:
                rank = self._rank(appearances[track_id], identity)
                if rank is not None:
                    ranked.append((rank, track_id, identity.index))
        ranked.sort(key=lambda entry: entry[0], reverse=True)
        taken: set[int] = set()
        for _, track_id, index in ranked:
            if track_id in result or index in taken:
                continue
            taken.add(index)
            result[track_id] = index
            # the Index moves to this track: an older track holding it is re-identified if seen again
            self._indices = {key: value for key, value in self._indices.items() if value != index}
        for track_id in new:
            if track_id not in result:
                index = len(self._identities)
                self._identities[index] = _Identity(index, self._frame)
                result[track_id] = index
        for track_id, index in result.items():
            self._indices[(self._shot, track_id)] = index
            self._identities[index].add(appearances[track_id], self._frame)
        return result

    def _rank(self, appearance: Appearance, identity: _Identity) -> tuple[int, float] | None:
        """``(1, cosine)`` for a face match, ``(0, -distance)`` for a torso match, ``None`` otherwise."""
        face = identity.face
        if appearance.face is not None and face is not None:
            cosine = float(np.dot(face, appearance.face.astype(np.float64)))
            return (1, cosine) if cosine >= self.face_cosine else None
        torso = identity.torso
        if appearance.torso is not None and torso is not None:
            distance = histogram_distance(appearance.torso, torso.astype(np.float32))
            return (0, -distance) if distance <= self.torso_distance else None
        return None
