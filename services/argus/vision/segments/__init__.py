"""Segment detection for stored videos: shots (TransNetV2) and technical cues (black frames, colour
bars, end credits), with SMPTE timecodes. See docs/video-segments.md."""
