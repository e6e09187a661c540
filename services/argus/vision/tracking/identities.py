"""Person Indices across cuts: a cut detector and a re-identifier around a per-shot motion tracker.

The caller replaces its tracker when :attr:`Identities.cuts` reports a cut (and calls
``reidentifier.new_shot()``), then gives :meth:`Identities.indices` each frame's tracks with the faces
attached to them; the appearance of every track (torso colours always, a face embedding when its face
is good enough and can still be used) goes to the :class:`~argus.vision.tracking.reid.Reidentifier`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from argus.vision.faces import quality_filter
from argus.vision.faces.analyzer import AnalyzedFace
from argus.vision.faces.blazeface import DetectedFace
from argus.vision.tracking.bytetrack import Track
from argus.vision.tracking.cuts import CutDetector
from argus.vision.tracking.reid import Appearance, Reidentifier, torso_histogram

FaceEmbedder = Callable[[NDArray[np.uint8], Sequence[DetectedFace]], NDArray[np.float32]]

# Faces re-identify people only when IndexFaces would index them (QualityFilter AUTO): on hamilton_clip.mp4
# dark, blurred or turned faces (which AUTO refuses) scored face similarities above 80 between different
# people, while every face AUTO accepts there belongs to the one person it matched.
REID_FACE_QUALITY = "AUTO"


class Identities:
    """Cut awareness and appearance re-identification around ByteTrack (see the module docstring)."""

    def __init__(
        self, cuts: CutDetector, reidentifier: Reidentifier, embed: FaceEmbedder | None = None
    ) -> None:
        self.cuts = cuts
        self.reidentifier = reidentifier
        self.embed = embed

    def indices(
        self, rgb: NDArray[np.uint8], tracks: Sequence[Track], faces: Mapping[int, AnalyzedFace]
    ) -> dict[int, int]:
        """``track id -> Index`` of this frame's tracks, given the faces they hold."""
        height, width = rgb.shape[:2]
        wanted = [
            track.track_id
            for track in tracks
            if self.embed is not None
            and track.track_id in faces
            and not quality_filter.reasons(faces[track.track_id].detail, width, height, REID_FACE_QUALITY)
            and self.reidentifier.wants_face(track.track_id)
        ]
        vectors = (
            self.embed(rgb, [faces[track_id].detection for track_id in wanted])
            if self.embed is not None and wanted
            else np.zeros((0, 0), np.float32)
        )
        embedded = dict(zip(wanted, vectors, strict=True))
        appearances = {
            track.track_id: Appearance(embedded.get(track.track_id), torso_histogram(rgb, track.box))
            for track in tracks
        }
        return self.reidentifier.assign(appearances)
