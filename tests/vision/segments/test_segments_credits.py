"""End credits: lines of lettering scrolling upward on black, at the end of the video."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from argus.vision.segments.credits import (
    EndCreditsDetector,
    credits_luma,
    looks_like_text_on_dark,
    upward_scroll_score,
)
from tests.support import videos

HAMILTON = Path("/work/shared/data/video/hamilton_clip.mp4")


@pytest.mark.parametrize(("width", "height"), [(320, 240), (1280, 720)])
def test_rendered_credits_look_like_text_on_a_dark_background(width: int, height: int) -> None:
    frames = list(videos.credits_frames(60, width, height))
    assert all(looks_like_text_on_dark(credits_luma(frame)) for frame in frames)


def test_photos_black_and_bars_do_not_look_like_text() -> None:
    pictures = [videos.fit(videos.photo(name), 320, 240) for name in videos.PHOTOS]
    pictures += [np.zeros((240, 320, 3), np.uint8), videos.smpte_bars()]
    assert not any(looks_like_text_on_dark(credits_luma(picture)) for picture in pictures)


def test_a_dark_stage_is_not_text() -> None:
    if not HAMILTON.is_file():
        pytest.skip(f"{HAMILTON} is not present")
    frames = [rgb for index, _, rgb in videos.read_frames(HAMILTON) if index % 5 == 0]
    assert not any(looks_like_text_on_dark(credits_luma(frame)) for frame in frames)


def test_upward_scroll_is_measured_and_still_text_is_not_scrolling() -> None:
    frames = [credits_luma(frame) for frame in videos.credits_frames(30, speed=2.0)]
    assert upward_scroll_score(frames[-1], frames[-13]) > 0.8
    assert upward_scroll_score(frames[0], frames[0]) == 0.0
    assert upward_scroll_score(frames[-13], frames[-1]) < 0.5  # scrolling down


def feed(detector: EndCreditsDetector, frames: list[np.ndarray], first: int = 0) -> None:
    for index, frame in enumerate(frames, start=first):
        detector.feed(index, frame)


def test_credits_at_the_end_are_found_from_their_first_frame() -> None:
    content = list(videos.shot_frames(["coffee"], [50]))
    detector = EndCreditsDetector(frame_rate=25.0, duration_frames=150)
    feed(detector, [*content, *videos.credits_frames(100)])
    [run] = detector.finish()
    assert (run.start, run.end) == (50, 149)
    assert run.mean_score > 0.8


def test_credits_long_before_the_end_are_not_end_credits() -> None:
    detector = EndCreditsDetector(frame_rate=25.0, duration_frames=100 + 25 * 15)
    feed(detector, list(videos.credits_frames(100)))
    feed(detector, list(videos.shot_frames(["coffee"], [25 * 15])), first=100)
    assert detector.finish() == []
