"""When to try a failed delivery again: exponential backoff with "equal jitter".

Attempt ``n`` (1-based, the one that just failed) waits ``d = min(cap, base * 2**(n-1))``
scaled into ``[d/2, d]`` by a uniform random draw, so receivers coming back are not hit by
every dispatcher at the same instant, and no wait is shorter than half the nominal delay.
"""

from __future__ import annotations

import random


def nominal_delay(attempt: int, base_s: float, cap_s: float) -> float:
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    return min(cap_s, base_s * 2.0 ** min(attempt - 1, 62))


def retry_delay(attempt: int, base_s: float, cap_s: float, rng: random.Random | None = None) -> float:
    delay = nominal_delay(attempt, base_s, cap_s)
    draw = (rng or random).random()
    return delay / 2 + draw * delay / 2
