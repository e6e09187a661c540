"""probe: VideoMetadata and AudioMetadata come from the container, unreadable files are refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from argus.video.errors import UnreadableVideo
from argus.video.probe import probe
from tests.video.media import solid, write_video

RED, BLUE = solid((255, 0, 0)), solid((0, 0, 255))


def test_mp4_metadata_comes_from_the_container(tmp_path: Path) -> None:
    info = probe(str(write_video(tmp_path / "a.mp4", [(RED, 1.0), (BLUE, 1.0)], fps=10)))
    assert (info.codec, info.format) == ("h264", "QuickTime / MOV")
    assert (info.width, info.height, info.frame_rate) == (160, 120, 10.0)
    assert (info.duration_ms, info.frame_count) == (2000, 20)
    assert info.audio == ()


def test_audio_tracks_are_described(tmp_path: Path) -> None:
    info = probe(str(write_video(tmp_path / "a.mov", [(RED, 2.0)], audio_rate=16000)))
    assert len(info.audio) == 1
    track = info.audio[0]
    assert (track.codec, track.sample_rate, track.channels) == ("aac", 16000, 1)
    assert abs(track.duration_ms - 2000) < 100


def test_avi_with_mpeg4_is_accepted(tmp_path: Path) -> None:
    info = probe(str(write_video(tmp_path / "a.avi", [(RED, 1.0)], fps=10)))
    assert (info.codec, info.format) == ("mpeg4", "AVI (Audio Video Interleaved)")
    assert (info.width, info.height) == (160, 120)


def test_garbage_bytes_are_unreadable() -> None:
    with pytest.raises(UnreadableVideo, match="could not be read"):
        probe(io.BytesIO(b"this is not a video at all" * 100))


def test_an_image_is_not_a_supported_container(astronaut_jpeg: bytes) -> None:
    with pytest.raises(UnreadableVideo, match="Unsupported video container"):
        probe(io.BytesIO(astronaut_jpeg))
