"""Multi-object tracking for stored videos: ByteTrack over per-frame detections (:mod:`.bytetrack`),
hard cuts from colour histograms (:mod:`.cuts`) and appearance re-identification (:mod:`.reid`)."""

from argus.vision.tracking.bytetrack import ByteTracker, Detection, Track

__all__ = ["ByteTracker", "Detection", "Track"]
