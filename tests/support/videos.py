"""Test videos with known content, written with PyAV (there is no ffmpeg binary).

Every generator returns RGB frames (``H x W x 3`` uint8 arrays) so tests can feed them straight to
an analyzer or write them to a file with :func:`write_video`; :func:`read_frames` decodes a file back.
Pictures are real photos: scikit-image's sample images and the ultralytics wheel's ``bus.jpg`` and
``zidane.jpg``.

* :func:`shot_frames` -- one shot per photo, each with a slow pan, cuts at known frames;
* :func:`black_frames` -- all-black (or near-black) frames;
* :func:`smpte_bars` -- the SMPTE EG 1 colour-bar test pattern drawn with NumPy;
* :func:`credits_frames` -- white text lines scrolling upward on black;
* :func:`person_walk_frames` -- a cut-out of a real person moving across a background photo,
  with the person's true box per frame;
* :func:`portrait_shot` -- a real face photo (``/work/shared/data/faces``) standing still on a
  background photo, as one shot.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

RGB = NDArray[np.uint8]
Box = tuple[float, float, float, float]  # left, top, width, height, normalised

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "bus", "zidane", "camera")
FACES = Path("/work/shared/data/faces")
BUS_PERSON = (10, 380, 220, 920)  # left, top, right, bottom of the man at the left of bus.jpg
ZIDANE_PERSON = (700, 90, 1185, 720)  # the man on the right of zidane.jpg


def ultralytics_photo(name: str) -> RGB:
    spec = importlib.util.find_spec("ultralytics")
    assert spec is not None and spec.submodule_search_locations, "pip install --no-deps ultralytics"
    path = Path(next(iter(spec.submodule_search_locations))) / "assets" / name
    return np.asarray(Image.open(path).convert("RGB"))


def photo(name: str) -> RGB:
    """A real photo by name: one of :data:`PHOTOS` (RGB, original size)."""
    if name in ("bus", "zidane"):
        return ultralytics_photo(f"{name}.jpg")
    import skimage.data

    image = np.asarray(getattr(skimage.data, name)())
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    return np.ascontiguousarray(image[..., :3]).astype(np.uint8)


def fit(image: RGB, width: int, height: int) -> RGB:
    """``image`` scaled and centre-cropped to fill ``width x height``."""
    scale = max(width / image.shape[1], height / image.shape[0])
    size = (max(width, round(image.shape[1] * scale)), max(height, round(image.shape[0] * scale)))
    resized = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    top, left = (size[1] - height) // 2, (size[0] - width) // 2
    return np.ascontiguousarray(resized[top : top + height, left : left + width])


def shot_frames(
    photos: Sequence[str], lengths: Sequence[int], width: int = 320, height: int = 240
) -> Iterator[RGB]:
    """Shot ``i`` shows ``photos[i]`` for ``lengths[i]`` frames with a slow horizontal pan (1 px a
    frame over a 15 % larger picture), so cuts fall exactly at the cumulative sums of ``lengths``."""
    for name, length in zip(photos, lengths, strict=True):
        wide = fit(photo(name), int(width * 1.15) + length, int(height * 1.15))
        top = (wide.shape[0] - height) // 2
        for frame in range(length):
            yield np.ascontiguousarray(wide[top : top + height, frame : frame + width])


def black_frames(count: int, width: int = 320, height: int = 240, level: int = 0) -> Iterator[RGB]:
    for _ in range(count):
        yield np.full((height, width, 3), level, dtype=np.uint8)


def smpte_bars(width: int = 320, height: int = 240, level: int = 191) -> RGB:
    """SMPTE EG 1-1990 colour bars: seven 75 % bars over the top two thirds, the reverse blue
    castellations, then -I / white / +Q / black and the PLUGE strip at the bottom."""
    on = level
    top_colours = [
        (on, on, on), (on, on, 0), (0, on, on), (0, on, 0), (on, 0, on), (on, 0, 0), (0, 0, on),
    ]  # fmt: skip
    middle_colours = [
        (0, 0, on), (19, 19, 19), (on, 0, on), (19, 19, 19), (0, on, on), (19, 19, 19), (on, on, on),
    ]  # fmt: skip
    frame = np.zeros((height, width, 3), dtype=np.uint8)
    edges = [round(i * width / 7) for i in range(8)]
    top_end, middle_end = round(height * 2 / 3), round(height * 3 / 4)
    for i in range(7):
        frame[:top_end, edges[i] : edges[i + 1]] = top_colours[i]
        frame[top_end:middle_end, edges[i] : edges[i + 1]] = middle_colours[i]
    bottom = [(0, 33, 76), (255, 255, 255), (50, 0, 106), (19, 19, 19), (9, 9, 9), (19, 19, 19), (29, 29, 29)]
    fractions = (5 / 28, 10 / 28, 15 / 28, 5 / 7, 16 / 21, 17 / 21, 6 / 7)
    bottom_edges = [0, *(round(width * fraction) for fraction in fractions)]
    bottom_edges.append(width)
    for i, colour in enumerate([*bottom, (19, 19, 19)]):
        frame[middle_end:, bottom_edges[i] : bottom_edges[i + 1]] = colour
    return frame


CREDIT_LINES = (
    "Directed by", "ADA LOVELACE", "", "Produced by", "CHARLES BABBAGE", "", "Director of Photography",
    "GRACE HOPPER", "", "Edited by", "ALAN TURING", "", "Music by", "CLAUDE SHANNON", "", "Cast",
    "Katherine Johnson", "Dorothy Vaughan", "Mary Jackson", "John von Neumann", "", "Sound", "HEDY LAMARR",
    "", "Visual Effects", "MARGARET HAMILTON", "", "Thanks to", "Everyone who tested this",
)  # fmt: skip


def credits_frames(count: int, width: int = 320, height: int = 240, speed: float = 1.5) -> Iterator[RGB]:
    """``count`` frames of :data:`CREDIT_LINES` (white, centred) scrolling up ``speed`` px a frame,
    the first line starting half-way down the picture (no frame is blank)."""
    line_height = max(12, height // 12)
    scale = line_height / 30
    stroke = max(1, round(line_height / 20))
    roll = np.zeros((height * 2 + line_height * len(CREDIT_LINES), width, 3), dtype=np.uint8)
    for i, text in enumerate(CREDIT_LINES):
        (text_width, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, stroke)
        origin = ((width - text_width) // 2, height // 2 + (i + 1) * line_height)
        cv2.putText(roll, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), stroke, cv2.LINE_AA)
    for frame in range(count):
        top = min(int(frame * speed), roll.shape[0] - height)
        yield np.ascontiguousarray(roll[top : top + height])


@dataclass(frozen=True)
class Walker:
    """A person cut-out (``"bus"`` or ``"zidane"``) of ``height`` pixels whose left edge moves from
    ``x_from`` to ``x_to`` (pixels) over the video, its top at ``y``."""

    source: str
    height: int
    x_from: float
    x_to: float
    y: int


def person_cutout(source: str, height: int) -> RGB:
    left, top, right, bottom = BUS_PERSON if source == "bus" else ZIDANE_PERSON
    crop = photo(source)[top:bottom, left:right]
    width = round(crop.shape[1] * height / crop.shape[0])
    return np.asarray(cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA), np.uint8)


def person_walk_frames(
    walkers: Sequence[Walker], count: int, background: str = "rocket", width: int = 320, height: int = 240
) -> Iterator[tuple[RGB, list[Box]]]:
    """Frames of each walker pasted (in order) on ``background``, with each walker's true box."""
    scene = fit(photo(background), width, height)
    cutouts = [person_cutout(walker.source, walker.height) for walker in walkers]
    for frame in range(count):
        picture = scene.copy()
        boxes: list[Box] = []
        share = frame / max(1, count - 1)
        for walker, cutout in zip(walkers, cutouts, strict=True):
            left = round(walker.x_from + (walker.x_to - walker.x_from) * share)
            h, w = cutout.shape[:2]
            x0, x1 = max(0, left), min(width, left + w)
            y0, y1 = max(0, walker.y), min(height, walker.y + h)
            picture[y0:y1, x0:x1] = cutout[y0 - walker.y : y1 - walker.y, x0 - left : x1 - left]
            boxes.append((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))
        yield picture, boxes


def write_video(
    path: Path, frames: Iterable[RGB], fps: Fraction | int = 25, codec: str = "libx264", audio: bool = False
) -> Path:
    """Encode RGB frames (all the same even size) to ``path`` (MP4 by its suffix); with ``audio``, a
    1 kHz mono AAC tone at 44.1 kHz as long as the video."""
    rate = Fraction(fps)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"crf": "16", "preset": "veryfast"}
        sound = container.add_stream("aac", rate=44100) if audio else None
        if sound is not None:
            sound.layout = "mono"
        count = 0
        for count, pixels in enumerate(frames, start=1):
            if count == 1:
                stream.height, stream.width = pixels.shape[:2]
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
        if sound is not None:
            _write_tone(container, sound, count / float(rate))
    return path


def _write_tone(container: av.container.OutputContainer, stream: av.AudioStream, seconds: float) -> None:
    rate = 44100
    samples = np.sin(2 * np.pi * 1000 * np.arange(int(seconds * rate)) / rate).astype(np.float32) * 0.2
    for start in range(0, len(samples), 1024):
        chunk = samples[start : start + 1024][None]
        frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
        frame.sample_rate = rate
        container.mux(stream.encode(frame))
    container.mux(stream.encode())


def read_frames(path: Path) -> Iterator[tuple[int, int, RGB]]:
    """``(index, timestamp_ms, rgb)`` of every frame of the first video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for index, frame in enumerate(container.decode(stream)):
            timestamp = round(float(frame.time) * 1000) if frame.time is not None else 0
            yield index, timestamp, frame.to_ndarray(format="rgb24")


def face_photo(name: str) -> RGB:
    """A real photo of ``/work/shared/data/faces`` by file name (``"obama_1.jpg"``), RGB."""
    return np.asarray(Image.open(FACES / name).convert("RGB"))


def portrait_shot(
    background: str,
    person: str | None,
    count: int,
    left: int = 20,
    person_height: int = 200,
    width: int = 320,
    height: int = 240,
) -> Iterator[RGB]:
    """``count`` frames of ``background`` with the face photo ``person`` (none for ``None``) scaled to
    ``person_height`` pixels, at most 150 wide, standing on the bottom edge at ``left``."""
    scene = fit(photo(background), width, height)
    if person is not None:
        picture = face_photo(person)
        scaled = round(picture.shape[1] * person_height / picture.shape[0])
        resized = cv2.resize(picture, (scaled, person_height), interpolation=cv2.INTER_AREA)
        cut = resized[:, : min(150, scaled, width - left)]
        scene = scene.copy()
        scene[height - person_height :, left : left + cut.shape[1]] = cut
    for _ in range(count):
        yield scene
