"""AggregateBy SEGMENTS: how sampled detections become label segments."""

from __future__ import annotations

from typing import Any

import pytest

from argus.jobs.aggregation import SegmentRules, segments

# 2 fps sampling of a 25 fps, 10 s video, gaps up to 1.5 samples (750 ms) join
RULES = SegmentRules.for_video(sample_fps=2.0, frame_rate=25.0, duration_ms=10_000, gap_samples=1.5)


def label(timestamp: int, name: str, confidence: float = 90.0, boxes: int = 0) -> dict[str, Any]:
    instances = [{"BoundingBox": {"Left": 0.1, "Top": 0.1, "Width": 0.5, "Height": 0.5}}] * boxes
    return {
        "Timestamp": timestamp,
        "Label": {"Name": name, "Confidence": confidence, "Instances": instances, "Parents": []},
    }


def spans(items: list[dict[str, Any]], member: str = "Label") -> list[tuple[str, int, int]]:
    return [
        (s[member]["Name"], s["StartTimestampMillis"], s["EndTimestampMillis"])
        for s in segments(items, member, RULES)
    ]


def test_consecutive_samples_make_one_segment_ending_one_interval_after_the_last() -> None:
    items = [label(t, "Cup") for t in (1000, 1500, 2000, 2500)]
    assert spans(items) == [("Cup", 1000, 3000)]


def test_a_missed_sample_starts_a_new_segment() -> None:
    items = [label(t, "Cup") for t in (0, 500, 1500, 2000)]
    assert spans(items) == [("Cup", 0, 1000), ("Cup", 1500, 2500)]


def test_sampling_jitter_within_the_tolerance_keeps_the_segment() -> None:
    items = [label(t, "Cup") for t in (0, 520, 1040, 1760)]  # gaps 520, 520, 720 <= 750
    assert spans(items) == [("Cup", 0, 2260)]


def test_a_single_detection_lasts_one_sampling_interval() -> None:
    assert spans([label(4000, "Cat")]) == [("Cat", 4000, 4500)]


def test_no_segment_ends_after_the_video() -> None:
    assert spans([label(9500, "Cat"), label(9960, "Cat")]) == [("Cat", 9500, 10_000)]


def test_each_label_has_its_own_segments_in_name_then_time_order() -> None:
    items = [label(0, "Bus"), label(500, "Bus"), label(500, "Person"), label(1000, "Person")]
    assert spans(items) == [("Bus", 0, 1000), ("Person", 500, 1500)]


def test_a_segment_item_has_rekognitions_shape_with_timestamp_at_the_start() -> None:
    items = [label(1000, "Cup", 80.0, boxes=1), label(1500, "Cup", 97.5, boxes=1), label(2000, "Cup", 90.0)]
    (item,) = segments(items, "Label", RULES)
    assert item == {
        "Timestamp": 1000,
        "Label": {"Name": "Cup", "Confidence": 97.5, "Instances": [], "Parents": []},
        "StartTimestampMillis": 1000,
        "EndTimestampMillis": 2500,
        "DurationMillis": 1500,
    }


def test_moderation_labels_aggregate_the_same_way() -> None:
    items = [
        {"Timestamp": t, "ModerationLabel": {"Name": "Violence", "ParentName": "", "Confidence": c}}
        for t, c in ((0, 60.0), (500, 85.0))
    ]
    (item,) = segments(items, "ModerationLabel", RULES)
    assert item["ModerationLabel"] == {"Name": "Violence", "ParentName": "", "Confidence": 85.0}
    assert (item["StartTimestampMillis"], item["EndTimestampMillis"], item["DurationMillis"]) == (
        0,
        1000,
        1000,
    )


def test_a_video_slower_than_the_sampling_rate_is_sampled_at_its_frame_rate() -> None:
    rules = SegmentRules.for_video(sample_fps=2.0, frame_rate=1.0, duration_ms=5000, gap_samples=1.5)
    assert (rules.interval_ms, rules.max_gap_ms) == (1000.0, 1500.0)
    items = [label(t, "Cup") for t in (0, 1000, 2000)]
    assert [
        (s["StartTimestampMillis"], s["EndTimestampMillis"]) for s in segments(items, "Label", rules)
    ] == [(0, 3000)]


def test_no_items_make_no_segments() -> None:
    assert list(segments([], "Label", RULES)) == []


def test_rules_need_a_rate() -> None:
    with pytest.raises(ValueError):
        SegmentRules.for_video(sample_fps=None, frame_rate=0.0, duration_ms=0, gap_samples=1.5)
