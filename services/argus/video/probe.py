"""What a video container says about itself: Rekognition's VideoMetadata and AudioMetadata."""

from __future__ import annotations

from fractions import Fraction
from typing import IO, Any

import av

from argus.video.errors import UnreadableVideo
from argus.video.frames import AudioInfo, VideoInfo
from argus.video.limits import CONTAINERS

Source = str | IO[bytes]


def open_container(source: Source) -> Any:
    """An input container in a format Argus accepts, or UnreadableVideo."""
    try:
        container = av.open(source, mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as error:
        raise UnreadableVideo(f"The video could not be read: {error}") from error
    names = set(container.format.name.split(","))
    if not names & set(CONTAINERS):
        container.close()
        raise UnreadableVideo(
            f"Unsupported video container {container.format.long_name!r}: use MP4, MOV or AVI"
        )
    if not container.streams.video:
        container.close()
        raise UnreadableVideo("The file holds no video stream")
    return container


def _millis(value: Fraction | float | None) -> int:
    return round(float(value) * 1000) if value else 0


def _stream_seconds(stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return None


def describe(container: Any) -> VideoInfo:
    stream = container.streams.video[0]
    container_seconds = container.duration / av.time_base if container.duration else None
    seconds = _stream_seconds(stream) or container_seconds or 0.0
    rate = stream.average_rate or stream.guessed_rate or stream.base_rate
    frame_rate = float(rate) if rate else 0.0
    frames = stream.frames or round(seconds * frame_rate)
    audio = tuple(
        AudioInfo(
            codec=track.codec_context.name,
            duration_ms=_millis(_stream_seconds(track) or container_seconds),
            sample_rate=int(track.codec_context.sample_rate or 0),
            channels=int(track.codec_context.channels or 0),
        )
        for track in container.streams.audio
    )
    return VideoInfo(
        codec=stream.codec_context.name,
        format=container.format.long_name,
        duration_ms=_millis(seconds),
        frame_rate=frame_rate,
        width=int(stream.codec_context.width),
        height=int(stream.codec_context.height),
        frame_count=int(frames),
        audio=audio,
    )


def probe(source: Source) -> VideoInfo:
    container = open_container(source)
    try:
        return describe(container)
    finally:
        container.close()
