"""Multi-object tracking for stored videos: ByteTrack over per-frame detections."""

from argus.vision.tracking.bytetrack import ByteTracker, Detection, Track

__all__ = ["ByteTracker", "Detection", "Track"]
