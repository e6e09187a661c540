"""Hard cuts from grid colour histograms, at person tracking's 5 sampled frames a second."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from argus.video.decode import frames
from argus.vision.tracking.cuts import CutDetector, histogram_distance, hsv_histogram
from tests.support import videos

HAMILTON = Path("/work/shared/data/video/hamilton_clip.mp4")


def test_histogram_distance_is_0_for_the_same_colours_and_1_for_disjoint_ones() -> None:
    red = hsv_histogram(np.full((8, 8, 3), (255, 0, 0), np.uint8))
    blue = hsv_histogram(np.full((8, 8, 3), (0, 0, 255), np.uint8))
    assert histogram_distance(red, red) == 0.0
    assert histogram_distance(red, blue) == pytest.approx(1.0)


def test_the_cuts_between_photo_shots_are_found_at_the_first_sample_of_each_shot() -> None:
    shots = list(videos.shot_frames(["astronaut", "coffee", "chelsea", "rocket"], [25, 25, 25, 25]))
    detector = CutDetector()
    cuts = [index for index, picture in enumerate(shots[::5]) if detector.is_cut(picture)]
    assert cuts == [5, 10, 15]


def test_people_walking_across_a_photo_are_not_a_cut() -> None:
    walkers = (videos.Walker("bus", 150, 5, 120, 60), videos.Walker("zidane", 140, 200, 150, 90))
    detector = CutDetector()
    walk = [picture for picture, _ in videos.person_walk_frames(walkers, 75)]
    assert not any(detector.is_cut(picture) for picture in walk[::5])


def test_the_three_cuts_of_a_real_clip_and_no_others() -> None:
    """hamilton_clip.mp4 (29.97 fps) cuts before frames 20, 82 and 211 (0.67 s, 2.74 s, 7.04 s)."""
    if not HAMILTON.is_file():
        pytest.skip(f"{HAMILTON} is not present")
    detector = CutDetector()
    with av.open(str(HAMILTON)) as container:
        cuts = [frame.timestamp_ms for frame in frames(container, 5.0) if detector.is_cut(frame.pixels)]
    assert len(cuts) == 3
    for cut, truth in zip(cuts, (667, 2736, 7040), strict=True):
        assert 0 <= cut - truth < 200  # the first sample of the new shot
