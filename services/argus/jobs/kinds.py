"""The eight stored-video job kinds, as data: the gateway and the workers read the same table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JobKind:
    name: str
    """``LabelDetection``: StartLabelDetection / GetLabelDetection."""
    list_key: str
    """The Get* response list (``Labels``, ``Faces``, ...)."""
    sort_by: tuple[str, ...]
    """SortBy values Get* allows (botocore's model); TIMESTAMP sorts by time, the other by sort key."""
    analyzer: str
    """Module under ``argus.workers.video.analyzers`` that builds the FrameAnalyzer."""
    model_version: str | None = None
    """Get* member naming the model version, which the analyzer reports in its response_fields."""
    request_metadata: bool = False
    """Get* echoes GetRequestMetadata (SortBy, AggregateBy)."""
    segments: bool = False
    """GetSegmentDetection's shape: VideoMetadata and AudioMetadata lists, SelectedSegmentTypes."""
    aggregate_member: str | None = None
    """The item member naming what was detected (``Label``), for kinds whose Get* takes
    AggregateBy SEGMENTS; the worker then stores a segment view too (argus.jobs.aggregation)."""

    @property
    def start_operation(self) -> str:
        return f"Start{self.name}"

    @property
    def get_operation(self) -> str:
        return f"Get{self.name}"

    @property
    def default_sort(self) -> str:
        return "TIMESTAMP"


KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in (
        JobKind(
            "LabelDetection",
            "Labels",
            ("NAME", "TIMESTAMP"),
            "labels",
            model_version="LabelModelVersion",
            request_metadata=True,
            aggregate_member="Label",
        ),
        JobKind("FaceDetection", "Faces", (), "faces"),
        JobKind("FaceSearch", "Persons", ("INDEX", "TIMESTAMP"), "face_search"),
        JobKind("PersonTracking", "Persons", ("INDEX", "TIMESTAMP"), "persons"),
        JobKind("CelebrityRecognition", "Celebrities", ("ID", "TIMESTAMP"), "celebrities"),
        JobKind(
            "ContentModeration",
            "ModerationLabels",
            ("NAME", "TIMESTAMP"),
            "moderation",
            model_version="ModerationModelVersion",
            request_metadata=True,
            aggregate_member="ModerationLabel",
        ),
        JobKind("TextDetection", "TextDetections", (), "text", model_version="TextModelVersion"),
        JobKind("SegmentDetection", "Segments", (), "segments", segments=True),
    )
}
