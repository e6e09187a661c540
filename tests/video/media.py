"""Videos with known content, written with PyAV for the tests (no ffmpeg binary needed)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import numpy.typing as npt
from PIL import Image

Pixels = npt.NDArray[np.uint8]
CODECS = {"mp4": "libx264", "mov": "libx264", "avi": "mpeg4"}


def solid(color: tuple[int, int, int], width: int = 160, height: int = 120) -> Pixels:
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:, :] = color
    return frame


def fit(image: Pixels, width: int, height: int) -> Pixels:
    """The photo letterboxed into an even-sized frame (x264 needs even sides)."""
    picture = Image.fromarray(image)
    picture.thumbnail((width, height))
    canvas = Image.new("RGB", (width, height))
    canvas.paste(picture, ((width - picture.width) // 2, (height - picture.height) // 2))
    return np.asarray(canvas)


def write_video(
    path: Path,
    scenes: Sequence[tuple[Pixels, float]],
    fps: int = 10,
    audio_rate: int | None = None,
) -> Path:
    """Each scene is a still frame held for some seconds; the container follows the suffix."""
    kind = path.suffix.lstrip(".")
    height, width = scenes[0][0].shape[:2]
    with av.open(str(path), mode="w") as container:
        stream = cast(av.VideoStream, container.add_stream(CODECS[kind], rate=fps))
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        audio: av.AudioStream | None = None
        if audio_rate is not None:
            audio = container.add_stream("aac", rate=audio_rate)
            audio.layout = "mono"
        for pixels, seconds in scenes:
            for _ in range(round(seconds * fps)):
                frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
                container.mux(stream.encode(frame))
        container.mux(stream.encode())
        if audio is not None and audio_rate is not None:
            total = sum(seconds for _, seconds in scenes)
            samples = np.zeros((1, 1024), np.float32)
            pts = 0
            while pts < total * audio_rate:
                chunk = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
                chunk.sample_rate = audio_rate
                chunk.pts = pts
                chunk.time_base = Fraction(1, audio_rate)
                container.mux(audio.encode(chunk))
                pts += samples.shape[1]
            container.mux(audio.encode())
    return path
