"""The contract between the video job runner and the analyzer of each job kind.

The runner decodes the video once, hands the analyzer the frames it asks for (``sample_fps``
frames per second, or every frame when None), stores the result items it returns, and pages
them out in Get*. Items are already in the shape of the Get* response list (``Labels``,
``Faces``, ``Persons``, ``Segments``, ...), each with its ``Timestamp`` (or, for segments,
``StartTimestampMillis``) in milliseconds.
"""

from __future__ import annotations

from typing import Any, Protocol

from argus.video.frames import VideoFrame

ResultItem = dict[str, Any]


class FrameAnalyzer(Protocol):
    sample_fps: float | None
    """Frames per second the analyzer wants; None for every frame (shot detection)."""

    def feed(self, frame: VideoFrame) -> list[ResultItem]:
        """Analyze one frame; return the items that are final now (may be empty)."""
        ...

    def finish(self) -> list[ResultItem]:
        """The video has ended: return the items still held back (tracks, open segments)."""
        ...
