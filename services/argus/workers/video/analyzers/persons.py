"""StartPersonTracking's analyzer: people found by DetectLabels' person detector, tracked by ByteTrack.

Frames are sampled at ``ARGUS_VIDEO__PERSON_TRACKING_SAMPLE_FPS`` (5 by default). The people come
from the label detector's instances (:meth:`LabelDetector.instances`: BlazePose people, or the
operator's YOLO model when one is installed), so DetectLabels and person tracking see the same people.
ByteTrack (:mod:`argus.vision.tracking`) keeps each person's ``Index``; a person out of sight for up
to ``ARGUS_VIDEO__PERSON_LOST_S`` seconds keeps it. Items are GetPersonTracking ``Persons`` entries,
one per confirmed track seen in a sampled frame.

With ``ARGUS_VIDEO__PERSON_FACES`` (on by default) a person whose face is visible gets ``Face``: the
DetectFaces ``FaceDetail`` (default attributes) of the face whose centre lies in the upper half of the
person's box (faces most confident first, each to the tightest free person box holding it).

With ``ARGUS_VIDEO__PERSON_REID`` (on by default) the Index also survives cuts and long absences, and
never crosses a cut by box overlap alone: a hard cut between two sampled frames
(:class:`~argus.vision.tracking.cuts.CutDetector`) starts a fresh ByteTrack, and every track the
tracker has not shown before is re-identified (:class:`~argus.vision.tracking.reid.Reidentifier`) by
its face embedding (faces that pass IndexFaces' ``QualityFilter`` AUTO only) or, without one, its torso
colours, against the Indices not in view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.registry import Task
from argus.video.frames import VideoFrame, VideoInfo
from argus.vision.faces.analyzer import AnalyzedFace
from argus.vision.labels.detector import PERSON, LabelDetector
from argus.vision.tracking import ByteTracker, Detection, Track
from argus.vision.tracking.cuts import CutDetector
from argus.vision.tracking.identities import Identities
from argus.vision.tracking.reid import Reidentifier
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer, ResultItem

PersonFinder = Callable[[NDArray[np.uint8]], Sequence[Detection]]
FaceFinder = Callable[[NDArray[np.uint8]], list[AnalyzedFace]]


def label_people(detector: LabelDetector) -> PersonFinder:
    """People from the label detector as detections with boxes normalised to the frame."""

    def find(rgb: NDArray[np.uint8]) -> list[Detection]:
        height, width = rgb.shape[:2]
        _, instances = detector.instances(rgb).get(PERSON, (None, []))
        found = []
        for instance in instances:
            left, top, right, bottom = instance.box
            box = (left / width, top / height, (right - left) / width, (bottom - top) / height)
            found.append(Detection(box=box, score=instance.confidence / 100.0))
        return found

    return find


def default_faces(analyzer: Any) -> FaceFinder:
    """DetectFaces' faces (``FaceDetail`` with the default attributes, and the detection), from the
    face analyzer."""

    def find(rgb: NDArray[np.uint8]) -> list[AnalyzedFace]:
        faces: list[AnalyzedFace] = analyzer.analyze(rgb, frozenset({"DEFAULT"}))
        return faces

    return find


def faces_of(tracks: Sequence[Track], faces: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each face (most confident first) to the tightest free track whose box's upper half holds its
    centre: ``track_id -> FaceDetail``."""
    owners: dict[int, dict[str, Any]] = {}
    for face in sorted(faces, key=lambda detail: -float(detail.get("Confidence", 0.0))):
        box = face["BoundingBox"]
        x, y = box["Left"] + box["Width"] / 2, box["Top"] + box["Height"] / 2
        holders = [
            track
            for track in tracks
            if track.track_id not in owners
            and track.box[0] <= x <= track.box[0] + track.box[2]
            and track.box[1] <= y <= track.box[1] + track.box[3] / 2
        ]
        if holders:
            tightest = min(holders, key=lambda track: track.box[2] * track.box[3])
            owners[tightest.track_id] = face
    return owners


def bounding_box(box: tuple[float, float, float, float]) -> dict[str, float]:
    """Rekognition's ``BoundingBox`` of a normalised ``(left, top, width, height)``, clipped to the frame."""
    left, top, width, height = (float(value) for value in box)
    right, bottom = min(1.0, left + width), min(1.0, top + height)
    left, top = max(0.0, left), max(0.0, top)
    return {"Width": right - left, "Height": bottom - top, "Left": left, "Top": top}


def person_item(timestamp_ms: int, track: Track, face: dict[str, Any] | None = None) -> ResultItem:
    person: dict[str, Any] = {"Index": track.track_id, "BoundingBox": bounding_box(track.box)}
    if face is not None:
        person["Face"] = face
    return {"Timestamp": timestamp_ms, "Person": person}


class PersonAnalyzer:
    def __init__(
        self,
        find: PersonFinder,
        new_tracker: Callable[[], ByteTracker],
        sample_fps: float,
        faces: FaceFinder | None = None,
        report_faces: bool = True,
        identities: Identities | None = None,
    ) -> None:
        self.sample_fps: float | None = sample_fps
        self._find = find
        self._new_tracker = new_tracker
        self._tracker = new_tracker()
        self._faces = faces
        self._report_faces = report_faces
        self._identities = identities

    def feed(self, frame: VideoFrame) -> list[ResultItem]:
        if self._identities is not None and self._identities.cuts.is_cut(frame.pixels):
            self._tracker = self._new_tracker()  # no track continues across a cut by overlap alone
            self._identities.reidentifier.new_shot()
        tracks = self._tracker.update(list(self._find(frame.pixels)))
        found = self._faces(frame.pixels) if tracks and self._faces is not None else []
        by_detail = {id(face.detail): face for face in found}
        owners = faces_of(tracks, [face.detail for face in found])
        faces = {track_id: by_detail[id(detail)] for track_id, detail in owners.items()}
        if self._identities is not None:
            indices = self._identities.indices(frame.pixels, tracks, faces)
            tracks = sorted(
                (dataclasses.replace(track, track_id=indices[track.track_id]) for track in tracks),
                key=lambda track: track.track_id,
            )
            faces = {indices[track_id]: face for track_id, face in faces.items()}
        return [
            person_item(
                frame.timestamp_ms,
                track,
                faces[track.track_id].detail if self._report_faces and track.track_id in faces else None,
            )
            for track in tracks
        ]

    def finish(self) -> list[ResultItem]:
        return []


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    settings = runtime.settings.video
    sample_fps = settings.person_tracking_sample_fps
    if video.frame_rate > 0:
        sample_fps = min(sample_fps, video.frame_rate)

    def new_tracker() -> ByteTracker:
        return ByteTracker(frame_rate=sample_fps, lost_seconds=settings.person_lost_s)

    people = label_people(runtime.registry.get(Task.LABEL_DETECTION))
    use_faces = settings.person_faces or settings.person_reid
    faces = default_faces(runtime.registry.get(Task.FACE_DETECTION)) if use_faces else None
    identities = None
    if settings.person_reid:
        memory = max(1, round(settings.person_reid_memory_s * sample_fps))
        identities = Identities(
            CutDetector(),
            Reidentifier(memory_frames=memory),
            runtime.registry.get(Task.FACE_EMBEDDING).embed_faces,
        )
    return PersonAnalyzer(people, new_tracker, sample_fps, faces, settings.person_faces, identities)
