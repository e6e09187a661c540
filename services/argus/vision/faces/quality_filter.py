"""Rekognition's ``QualityFilter``: which detected faces are too poor to index or search with.

A face fails a level for each limit it misses, and the failure is named with Rekognition's
``Reasons``. The limits are on values DetectFaces itself returns, so a caller can always see why:

========  ==========  ===============  =========  ==========  =========
level     Confidence  box short side   |Yaw|,     Brightness  Sharpness
                      (pixels)         |Pitch|
========  ==========  ===============  =========  ==========  =========
LOW       >= 50       >= 20            <= 75      >= 5        >= 2
MEDIUM    >= 70       >= 40            <= 60      >= 15       >= 8
HIGH      >= 85       >= 60            <= 45      >= 25       >= 20
========  ==========  ===============  =========  ==========  =========

AUTO is MEDIUM; NONE applies no limit. Sharpness limits come from measurements on real photos
(docs/models.md): in-focus faces score 35-100, a Gaussian blur of sigma 2 px brings a face to
about 6. ``LOW_FACE_QUALITY`` is added when a face misses two or more of the confidence,
brightness and sharpness limits at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Limits:
    confidence: float
    min_side_px: float
    max_pose_deg: float
    brightness: float
    sharpness: float


LEVELS: dict[str, Limits] = {
    "LOW": Limits(confidence=50, min_side_px=20, max_pose_deg=75, brightness=5, sharpness=2),
    "MEDIUM": Limits(confidence=70, min_side_px=40, max_pose_deg=60, brightness=15, sharpness=8),
    "HIGH": Limits(confidence=85, min_side_px=60, max_pose_deg=45, brightness=25, sharpness=20),
}
LEVELS["AUTO"] = LEVELS["MEDIUM"]


def reasons(face: dict[str, Any], width: int, height: int, level: str) -> list[str]:
    """Rekognition ``Reasons`` why ``face`` (a FaceDetail) fails ``level``; empty when it passes."""
    limits = LEVELS.get(level)
    if limits is None:  # NONE
        return []
    box = face["BoundingBox"]
    found: list[str] = []
    if min(box["Width"] * width, box["Height"] * height) < limits.min_side_px:
        found.append("SMALL_BOUNDING_BOX")
    pose = face.get("Pose", {})
    if max(abs(pose.get("Yaw", 0.0)), abs(pose.get("Pitch", 0.0))) > limits.max_pose_deg:
        found.append("EXTREME_POSE")
    quality_misses = 0
    if face["Confidence"] < limits.confidence:
        found.append("LOW_CONFIDENCE")
        quality_misses += 1
    quality = face.get("Quality", {})
    if quality.get("Brightness", 100.0) < limits.brightness:
        found.append("LOW_BRIGHTNESS")
        quality_misses += 1
    if quality.get("Sharpness", 100.0) < limits.sharpness:
        found.append("LOW_SHARPNESS")
        quality_misses += 1
    if quality_misses >= 2:
        found.append("LOW_FACE_QUALITY")
    return found


def quality_score(face: dict[str, Any]) -> float:
    """Orders faces for MaxFaces: the mean of Confidence and Sharpness (both 0-100)."""
    return (float(face["Confidence"]) + float(face.get("Quality", {}).get("Sharpness", 0.0))) / 2
