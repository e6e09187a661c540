"""One decoded video frame, as every video analyzer receives it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class VideoFrame:
    index: int
    """Frame number in the video stream, 0-based (SMPTE timecodes and segment frame numbers use it)."""
    timestamp_ms: int
    """Presentation time in milliseconds from the start of the video."""
    pixels: npt.NDArray[np.uint8]
    """H x W x 3 RGB."""


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    duration_ms: int
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about a video (Rekognition's VideoMetadata and AudioMetadata)."""

    codec: str
    format: str
    duration_ms: int
    frame_rate: float
    width: int
    height: int
    frame_count: int
    audio: tuple[AudioInfo, ...] = ()
