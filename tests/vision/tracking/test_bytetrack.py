"""ByteTrack: stable 0-based indices, low-score rescue, lost-and-found, birth and death of tracks."""

from __future__ import annotations

import numpy as np

from argus.vision.tracking import ByteTracker, Detection
from argus.vision.tracking.assignment import assign, iou_matrix


def walking(start: float, step: float, frame: int, top: float = 0.2) -> tuple[float, float, float, float]:
    """A 0.1 x 0.3 box moving right by ``step`` a frame."""
    return (start + step * frame, top, 0.1, 0.3)


def test_iou_of_boxes() -> None:
    others = [(0.1, 0.0, 0.2, 0.2), (0.5, 0.5, 0.1, 0.1), (0.0, 0.0, 0.2, 0.2)]
    ious = iou_matrix([(0.0, 0.0, 0.2, 0.2)], others)
    np.testing.assert_allclose(ious, [[1 / 3, 0.0, 1.0]])


def test_assignment_keeps_only_pairs_under_the_cost_limit() -> None:
    cost = np.array([[0.1, 0.9], [0.95, 0.99]])
    assert assign(cost, 0.8) == ([(0, 0)], [1], [1])


def test_two_people_keep_their_index_in_order_of_appearance() -> None:
    tracker = ByteTracker(frame_rate=5.0)
    seen: dict[int, list[float]] = {}
    for frame in range(20):
        tracks = tracker.update(
            [
                Detection(walking(0.6, -0.01, frame, top=0.5), 0.9, payload="B"),
                Detection(walking(0.05, 0.02, frame), 0.95, payload="A"),
            ]
        )
        assert [track.track_id for track in tracks] == [0, 1]
        for track in tracks:
            seen.setdefault(track.track_id, []).append(track.box[0])
            assert track.payload == ("B" if track.track_id == 0 else "A")
    assert len(seen) == 2


def test_a_new_track_is_reported_from_its_second_frame() -> None:
    tracker = ByteTracker(frame_rate=5.0)
    assert tracker.update([]) == []
    assert tracker.update([Detection(walking(0.1, 0.02, 0), 0.9)]) == []  # tentative
    [track] = tracker.update([Detection(walking(0.1, 0.02, 1), 0.9)])
    assert track.track_id == 0 and track.box == walking(0.1, 0.02, 1)


def test_a_one_frame_false_detection_never_gets_an_index() -> None:
    tracker = ByteTracker(frame_rate=5.0)
    tracker.update([Detection(walking(0.1, 0.0, 0), 0.9)])
    tracker.update([Detection(walking(0.1, 0.0, 0), 0.9), Detection((0.7, 0.1, 0.1, 0.2), 0.8)])
    tracks = tracker.update([Detection(walking(0.1, 0.0, 0), 0.9), Detection((0.2, 0.6, 0.1, 0.2), 0.8)])
    assert [track.track_id for track in tracks] == [0]
    [*_, later] = [tracker.update([Detection((0.2, 0.6, 0.1, 0.2), 0.8)]) for _ in range(2)]
    assert [track.track_id for track in later] == [1]


def test_a_low_score_detection_continues_a_track_but_never_starts_one() -> None:
    tracker = ByteTracker(frame_rate=5.0)
    for frame in range(3):
        tracker.update([Detection(walking(0.1, 0.02, frame), 0.9)])
    [track] = tracker.update([Detection(walking(0.1, 0.02, 3), 0.3), Detection((0.7, 0.6, 0.1, 0.2), 0.3)])
    assert track.track_id == 0 and track.score == 0.3
    assert tracker.update([Detection((0.7, 0.6, 0.1, 0.2), 0.3)]) == []


def test_a_person_hidden_briefly_keeps_the_index_and_the_motion_model_finds_them_again() -> None:
    tracker = ByteTracker(frame_rate=5.0, lost_seconds=1.0)
    for frame in range(6):
        tracker.update([Detection(walking(0.05, 0.03, frame), 0.9)])
    for _ in range(3):  # hidden for 3 frames (0.6 s) while walking on
        assert tracker.update([]) == []
    [track] = tracker.update([Detection(walking(0.05, 0.03, 9), 0.9)])
    assert track.track_id == 0


def test_a_person_gone_longer_than_lost_seconds_comes_back_with_a_new_index() -> None:
    tracker = ByteTracker(frame_rate=5.0, lost_seconds=1.0)
    for _ in range(3):
        tracker.update([Detection((0.4, 0.2, 0.1, 0.3), 0.9)])
    for _ in range(7):  # 1.4 s
        tracker.update([])
    tracker.update([Detection((0.4, 0.2, 0.1, 0.3), 0.9)])
    [track] = tracker.update([Detection((0.4, 0.2, 0.1, 0.3), 0.9)])
    assert track.track_id == 1
