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
        "EndTimestampMillis": 5000,
        "DurationMillis": 3000,
        "StartTimecodeSMPTE": "00:00:02:00",
        "EndTimecodeSMPTE": "00:00:05:00",
        "DurationSMPTE": "00:00:03:00",
        "StartFrameNumber": 50,
        "EndFrameNumber": 124,
        "DurationFrames": 75,
        "ShotSegment": {"Index": 1, "Confidence": 97.5},
    }


def test_a_cue_entry_names_its_cue_and_uses_drop_frame_timecodes_at_29_97() -> None:
    rate = float(Fraction(30000, 1001))
    item = Segment(SegmentType.TECHNICAL_CUE, 1790, 1819, 99.0, cue=CueType.BLACK_FRAMES).to_item(rate)
    assert set(item) == SEGMENT_MEMBERS - {"ShotSegment"}
    assert item["TechnicalCueSegment"] == {"Type": "BlackFrames", "Confidence": 99.0}
    assert (item["StartTimecodeSMPTE"], item["EndTimecodeSMPTE"]) == ("00:00:59;20", "00:01:00;22")
    assert item["DurationSMPTE"] == "00:00:01;00"
    # 1790 * 1001 / 30 = 59726.33 ms and 1820 * 1001 / 30 = 60727.33 ms, rounded down
    millis = (item["StartTimestampMillis"], item["EndTimestampMillis"], item["DurationMillis"])
    assert millis == (59726, 60727, 1001)


def test_confidence_stays_in_the_shapes_range_of_50_to_100() -> None:
    low = Segment(SegmentType.SHOT, 0, 9, 12.0, index=0).to_item(25.0)
    high = Segment(SegmentType.SHOT, 0, 9, 100.7, index=0).to_item(25.0)
    assert (low["ShotSegment"]["Confidence"], high["ShotSegment"]["Confidence"]) == (50.0, 100.0)
