"""Loading TransNetV2 leaves the process's random state and determinism settings alone."""

from __future__ import annotations

import random

import numpy as np
import torch

from argus.vision.segments.transnet import TransNetV2Model, thumbnail


def test_loading_keeps_random_state_and_determinism_setting() -> None:
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    expected = (random.random(), float(np.random.rand()), float(torch.rand(1)))
    random.seed(7)
    np.random.seed(7)
    torch.manual_seed(7)
    before = torch.are_deterministic_algorithms_enabled()
    TransNetV2Model.load("cpu")
    assert (random.random(), float(np.random.rand()), float(torch.rand(1))) == expected
    assert torch.are_deterministic_algorithms_enabled() == before


def test_frames_reach_the_network_as_48x27_rgb() -> None:
    assert thumbnail(np.zeros((1080, 1920, 3), np.uint8)).shape == (27, 48, 3)
