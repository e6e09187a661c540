"""SMPTE timecodes (SMPTE ST 12-1) for frame numbers.

Non-drop-frame: ``HH:MM:SS:FF`` counting ``round(frame_rate)`` frames per second. Drop-frame, used for
the NTSC rates 29.97 (30000/1001) and 59.94 (60000/1001): ``HH:MM:SS;FF``, where frame labels 0 and 1
(2 and 3 at 59.94 too) are skipped at the start of every minute except each tenth minute, so that the
label stays within a frame of wall-clock time.
"""

from __future__ import annotations

DROP_FRAME_TOLERANCE = 0.01  # frame rates within this of 30000/1001 or 60000/1001 are NTSC


def is_drop_frame(frame_rate: float) -> bool:
    """Whether timecodes at ``frame_rate`` are drop-frame (29.97 and 59.94 fps)."""
    return any(abs(frame_rate - nominal * 1000 / 1001) < DROP_FRAME_TOLERANCE for nominal in (30, 60))


def smpte_timecode(frame: int, frame_rate: float) -> str:
    """The timecode of the 0-based ``frame`` (or of a duration of ``frame`` frames) at ``frame_rate``."""
    if frame < 0:
        raise ValueError(f"frame number must not be negative, got {frame}")
    nominal = max(1, round(frame_rate))
    separator = ":"
    label = frame
    if is_drop_frame(frame_rate):
        separator = ";"
        dropped = 2 * nominal // 30  # 2 labels a minute at 29.97, 4 at 59.94
        per_ten_minutes = 10 * 60 * nominal - 9 * dropped
        per_minute = 60 * nominal - dropped
        tens, rest = divmod(frame, per_ten_minutes)
        label = frame + 9 * dropped * tens
        if rest > dropped:
            label += dropped * ((rest - dropped) // per_minute)
    frames = label % nominal
    seconds = label // nominal
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}{separator}{frames:02d}"
