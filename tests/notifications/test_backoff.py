"""Retry delays: exponential from the base, capped, jittered into the upper half."""

from __future__ import annotations

import random

import pytest

from argus.notifications.backoff import nominal_delay, retry_delay


def test_the_nominal_delay_doubles_per_attempt_up_to_the_cap() -> None:
    assert [nominal_delay(n, 2.0, 60.0) for n in range(1, 8)] == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


def test_jittered_delays_fall_between_half_and_all_of_the_nominal_delay() -> None:
    rng = random.Random(5)
    for attempt in range(1, 12):
        nominal = nominal_delay(attempt, 0.5, 30.0)
        for _ in range(50):
            assert nominal / 2 <= retry_delay(attempt, 0.5, 30.0, rng) <= nominal


def test_jitter_spreads_dispatchers_apart() -> None:
    rng = random.Random(7)
    delays = {round(retry_delay(4, 1.0, 100.0, rng), 6) for _ in range(20)}
    assert len(delays) == 20


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError):
        nominal_delay(0, 1.0, 10.0)


def test_huge_attempt_numbers_stay_at_the_cap() -> None:
    assert nominal_delay(10_000, 2.0, 600.0) == 600.0
