"""VideoInfo as stored with a job (plain JSON) and as Rekognition's VideoMetadata / AudioMetadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from argus.video.frames import AudioInfo, VideoInfo


def to_json(info: VideoInfo) -> dict[str, Any]:
    return asdict(info)


def from_json(data: Mapping[str, Any]) -> VideoInfo:
    audio = tuple(AudioInfo(**track) for track in data.get("audio", ()))
    return VideoInfo(**{**data, "audio": audio})


def video_metadata(info: VideoInfo) -> dict[str, Any]:
    return {
        "Codec": info.codec,
        "DurationMillis": info.duration_ms,
        "Format": info.format,
        "FrameRate": info.frame_rate,
        "FrameHeight": info.height,
        "FrameWidth": info.width,
    }


def audio_metadata(info: VideoInfo) -> list[dict[str, Any]]:
    return [
        {
            "Codec": track.codec,
            "DurationMillis": track.duration_ms,
            "SampleRate": track.sample_rate,
            "NumberOfChannels": track.channels,
        }
        for track in info.audio
    ]
