"""Shots: TransNetV2 on generated videos with cuts at known frames, and the shot segmentation rules."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import torch

from argus.vision.segments.shots import ShotSegmenter
from argus.vision.segments.transnet import TransitionScorer, TransNetV2Model, thumbnail
from tests.support import videos

PHOTOS = ("astronaut", "coffee", "chelsea", "rocket", "bus")
LENGTHS = (40, 35, 50, 30, 45)
CUTS = (40, 75, 125, 155)  # first frame of each new shot


def score(model: TransNetV2Model, frames: list[np.ndarray]) -> np.ndarray:
    scorer = TransitionScorer(model)
    scores = [scorer.feed(thumbnail(frame)) for frame in frames]
    return np.concatenate([*scores, scorer.finish()])


def test_streamed_scores_equal_the_reference_whole_video_prediction(
    transnet: TransNetV2Model, tmp_path: Path
) -> None:
    path = videos.write_video(tmp_path / "cuts.mp4", videos.shot_frames(PHOTOS, LENGTHS))
    frames = [rgb for _, _, rgb in videos.read_frames(path)]
    streamed = score(transnet, frames)
    thumbnails = torch.from_numpy(np.stack([thumbnail(frame) for frame in frames]))
    reference, _ = transnet._network.predict_frames(thumbnails, quiet=True)
    assert streamed.shape == (sum(LENGTHS),)
    np.testing.assert_allclose(streamed, reference.numpy(), atol=1e-5)


def test_shots_start_within_two_frames_of_each_cut_of_an_h264_video(
    transnet: TransNetV2Model, tmp_path: Path
) -> None:
    path = videos.write_video(tmp_path / "cuts.mp4", videos.shot_frames(PHOTOS, LENGTHS))
    segmenter = ShotSegmenter()
    shots = segmenter.feed(score(transnet, [rgb for _, _, rgb in videos.read_frames(path)]))
    shots += segmenter.finish()
    assert len(shots) == len(PHOTOS)
    assert [shot.index for shot in shots] == [0, 1, 2, 3, 4]
    for shot, cut in zip(shots[1:], CUTS, strict=True):
        assert abs(shot.start_frame - cut) <= 2
    assert shots[0].start_frame == 0 and shots[-1].end_frame == sum(LENGTHS) - 1
    assert all(a.end_frame + 1 == b.start_frame for a, b in pairwise(shots))
    assert all(shot.confidence >= 80 for shot in shots)


def test_a_single_shot_video_is_one_shot(transnet: TransNetV2Model) -> None:
    segmenter = ShotSegmenter()
    shots = segmenter.feed(score(transnet, list(videos.shot_frames(["coffee"], [60]))))
    shots += segmenter.finish()
    assert [(shot.start_frame, shot.end_frame) for shot in shots] == [(0, 59)]


def test_the_cut_follows_the_most_probable_frame_of_a_transition() -> None:
    segmenter = ShotSegmenter()
    shots = segmenter.feed([0.01, 0.02, 0.3, 0.7, 0.9, 0.6, 0.1, 0.05, 0.0])
    shots += segmenter.finish()
    assert [(s.start_frame, s.end_frame) for s in shots] == [(0, 4), (5, 8)]
    # first shot: start certain, end 0.9, no frame inside above 0.3
    assert [round(s.confidence, 6) for s in shots] == [70.0, 90.0]
