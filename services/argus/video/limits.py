"""Rekognition Video's documented limits on stored videos, checked against the settings."""

from __future__ import annotations

from argus.core.config import VideoSettings
from argus.core.errors import VideoTooLargeException
from argus.video.frames import VideoInfo

CONTAINERS = {"mov": "MOV", "mp4": "MP4", "avi": "AVI"}
"""PyAV (libavformat) demuxer names Argus accepts, and what the docs call them."""


def check_size(size: int, settings: VideoSettings) -> None:
    if size > settings.max_file_bytes:
        raise VideoTooLargeException(
            f"The file size of the supplied media is too large: {size} bytes, "
            f"the limit is {settings.max_file_bytes} bytes"
        )


def check_duration(info: VideoInfo, settings: VideoSettings) -> None:
    limit_ms = int(settings.max_duration_s * 1000)
    if info.duration_ms > limit_ms:
        raise VideoTooLargeException(
            f"The duration of the supplied media is too long: {info.duration_ms} ms, "
            f"the limit is {limit_ms} ms"
        )
