"""Decode a video once, keeping the frames an analyzer asked for.

Every frame is decoded (inter-coded video needs its references), but only sampled frames are
converted to RGB: a frame is kept when its presentation time reaches the next sampling instant
(0, 1/fps, 2/fps, ... seconds), so a 2 fps sampler sees the first frame of every half second.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import av

from argus.video.errors import UnreadableVideo
from argus.video.frames import VideoFrame


class Sampler:
    """Decides which frame times to keep for one sampling rate (None keeps every frame)."""

    def __init__(self, fps: float | None) -> None:
        self.period_ms = None if fps is None else 1000.0 / fps
        self.next_ms = 0.0

    def wants(self, timestamp_ms: int) -> bool:
        if self.period_ms is None:
            return True
        if timestamp_ms + 0.5 < self.next_ms:
            return False
        while self.next_ms <= timestamp_ms + 0.5:
            self.next_ms += self.period_ms
        return True


def frames(container: Any, sample_fps: float | None) -> Iterator[VideoFrame]:
    """The sampled frames of the container's first video stream, in presentation order."""
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    start = stream.start_time or 0
    sampler = Sampler(sample_fps)
    index = 0
    try:
        for frame in container.decode(stream):
            pts = frame.pts if frame.pts is not None else start
            timestamp_ms = max(0, round(float((pts - start) * stream.time_base) * 1000))
            if sampler.wants(timestamp_ms):
                pixels = frame.to_ndarray(format="rgb24")
                yield VideoFrame(index=index, timestamp_ms=timestamp_ms, pixels=pixels)
            index += 1
    except av.error.FFmpegError as error:
        raise UnreadableVideo(f"The video could not be decoded at frame {index}: {error}") from error
