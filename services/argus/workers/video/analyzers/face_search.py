"""StartFaceSearch: faces of each sampled frame searched in a collection.

Faces are detected and embedded as IndexFaces / SearchFacesByImage do, tracked across frames
with the ByteTrack tracker (a person keeps one ``Index`` while their face stays in view), and
each face is searched in the collection's vector index with the request's FaceMatchThreshold.
A PersonMatch is reported for every sampled frame where a tracked face has matches (Rekognition
lists the people whose faces match the collection).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from argus.video.frames import VideoFrame, VideoInfo
from argus.vision.tracking import ByteTracker, Detection
from argus.workers.image.faces import (
    DEFAULT_MAX_MATCHES,
    Found,
    detect,
    embed,
    matches,
    searchable_collection,
)
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers.base import FrameAnalyzer, ResultItem
from argus.workers.video.analyzers.context import image_task
from argus.workers.video.analyzers.per_frame import frame_image

DEFAULT_THRESHOLD = 80.0


def _box(face: Found) -> tuple[float, float, float, float]:
    box = face.detail["BoundingBox"]
    return (box["Left"], box["Top"], box["Width"], box["Height"])


class FaceSearchAnalyzer:
    def __init__(self, runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> None:
        self.sample_fps: float | None = runtime.settings.video.face_search_sample_fps
        self.runtime = runtime
        task = image_task(params, "SearchFacesByImage", ("CollectionId",))
        self.collection_pk, _ = searchable_collection(runtime, task)  # fails fast
        self.threshold = float(params.get("FaceMatchThreshold", DEFAULT_THRESHOLD))
        self.tracker = ByteTracker(frame_rate=self.sample_fps)
        self.response_fields: dict[str, Any] = {}

    def feed(self, frame: VideoFrame) -> list[ResultItem]:
        image = frame_image(frame)
        faces = detect(self.runtime, image, None)
        vectors = embed(self.runtime, image, faces) if faces else np.zeros((0, 0), np.float32)
        detections = [
            Detection(box=_box(face), score=float(face.detail["Confidence"]) / 100.0, payload=index)
            for index, face in enumerate(faces)
        ]
        items: list[ResultItem] = []
        for track in self.tracker.update(detections):
            if track.payload is None:
                continue
            face = faces[track.payload]
            found = matches(
                self.runtime,
                self.collection_pk,
                vectors[track.payload],
                DEFAULT_MAX_MATCHES,
                self.threshold,
                None,
            )
            if found:
                items.append(
                    {
                        "Timestamp": frame.timestamp_ms,
                        "Person": {
                            "Index": track.track_id,
                            "BoundingBox": face.detail["BoundingBox"],
                            "Face": face.detail,
                        },
                        "FaceMatches": found,
                    }
                )
        return items

    def finish(self) -> list[ResultItem]:
        return []


def build(runtime: WorkerRuntime, params: Mapping[str, Any], video: VideoInfo) -> FrameAnalyzer:
    return FaceSearchAnalyzer(runtime, params, video)
