"""A segment's GetSegmentDetection entry: frames, rounded-down milliseconds and SMPTE timecodes."""

from __future__ import annotations

from fractions import Fraction

import botocore.session

from argus.vision.segments.segment import CueType, Segment, SegmentType

SEGMENT_MEMBERS = set(
    botocore.session.get_session().get_service_model("rekognition").shape_for("SegmentDetection").members
)


def test_a_shot_entry_has_every_member_of_the_botocore_shape() -> None:
    item = Segment(SegmentType.SHOT, start_frame=50, end_frame=124, confidence=97.5, index=1).to_item(25.0)
    assert set(item) == SEGMENT_MEMBERS - {"TechnicalCueSegment"}
    assert item == {
        "Type": "SHOT",
        "StartTimestampMillis": 2000,
        "EndTimestampMillis": 4960,
        "DurationMillis": 2960,
        "StartTimecodeSMPTE": "00:00:02:00",
        "EndTimecodeSMPTE": "00:00:04:24",
        "DurationSMPTE": "00:00:02:24",
        "StartFrameNumber": 50,
        "EndFrameNumber": 124,
        "DurationFrames": 74,
        "ShotSegment": {"Index": 1, "Confidence": 97.5},
    }


def test_a_cue_entry_names_its_cue_and_uses_drop_frame_timecodes_at_29_97() -> None:
    rate = float(Fraction(30000, 1001))
    item = Segment(SegmentType.TECHNICAL_CUE, 1790, 1819, 99.0, cue=CueType.BLACK_FRAMES).to_item(rate)
    assert set(item) == SEGMENT_MEMBERS - {"ShotSegment"}
    assert item["TechnicalCueSegment"] == {"Type": "BlackFrames", "Confidence": 99.0}
    assert (item["StartTimecodeSMPTE"], item["EndTimecodeSMPTE"]) == ("00:00:59;20", "00:01:00;21")
    assert item["DurationSMPTE"] == "00:00:00;29"
    # 1790 * 1001 / 30 = 59726.33 ms and 1819 * 1001 / 30 = 60693.97 ms, rounded down
    millis = (item["StartTimestampMillis"], item["EndTimestampMillis"], item["DurationMillis"])
    assert millis == (59726, 60693, 967)


def test_the_documented_rekognition_example_black_segment_is_reproduced() -> None:
    """AWS's GetSegmentDetection example: BlackFrames over frames 0-299 of a 29.97 fps video."""
    rate = float(Fraction(30000, 1001))
    item = Segment(SegmentType.TECHNICAL_CUE, 0, 299, 90.45, cue=CueType.BLACK_FRAMES).to_item(rate)
    assert {key: item[key] for key in item if key != "TechnicalCueSegment"} == {
        "Type": "TECHNICAL_CUE",
        "StartTimestampMillis": 0,
        "EndTimestampMillis": 9976,
        "DurationMillis": 9976,
        "StartTimecodeSMPTE": "00:00:00;00",
        "EndTimecodeSMPTE": "00:00:09;29",
        "DurationSMPTE": "00:00:09;29",
        "StartFrameNumber": 0,
        "EndFrameNumber": 299,
        "DurationFrames": 299,
    }


def test_confidence_stays_in_the_shapes_range_of_50_to_100() -> None:
    low = Segment(SegmentType.SHOT, 0, 9, 12.0, index=0).to_item(25.0)
    high = Segment(SegmentType.SHOT, 0, 9, 100.7, index=0).to_item(25.0)
    assert (low["ShotSegment"]["Confidence"], high["ShotSegment"]["Confidence"]) == (50.0, 100.0)
