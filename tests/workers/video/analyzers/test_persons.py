"""The person tracking analyzer: real person photos moving across real backgrounds, and a real clip."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import av
import pytest

from argus.core.config import Settings, VideoSettings
from argus.core.models.registry import ModelRegistry
from argus.video.decode import frames
from argus.video.frames import VideoInfo
from argus.vision.tracking import Track
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers import persons
from tests.support import videos

HAMILTON = Path("/work/shared/data/video/hamilton_clip.mp4")
WALKERS = (videos.Walker("bus", 150, 5, 120, 60), videos.Walker("zidane", 140, 200, 150, 90))


@pytest.fixture(scope="module")
def runtime(registry: ModelRegistry) -> WorkerRuntime:
    runtime = WorkerRuntime(Settings(video=VideoSettings(person_tracking_sample_fps=5.0, person_lost_s=2.0)))
    runtime.registry = registry
    return runtime


def track(runtime: WorkerRuntime, path: Path) -> list[dict[str, Any]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or 25)
        size = (stream.codec_context.width, stream.codec_context.height)
        info = VideoInfo("h264", "mp4", 0, rate, *size, frame_count=stream.frames)
        analyzer = persons.build(runtime, {}, info)
        assert analyzer.sample_fps == 5.0
        items = [item for frame in frames(container, analyzer.sample_fps) for item in analyzer.feed(frame)]
    return items + analyzer.finish()


def iou(box: dict[str, float], truth: tuple[float, float, float, float]) -> float:
    left, top, width, height = truth
    overlap_w = min(box["Left"] + box["Width"], left + width) - max(box["Left"], left)
    overlap_h = min(box["Top"] + box["Height"], top + height) - max(box["Top"], top)
    if overlap_w <= 0 or overlap_h <= 0:
        return 0.0
    inter = overlap_w * overlap_h
    return inter / (box["Width"] * box["Height"] + width * height - inter)


def closest_walker(item: dict[str, Any], walk: list[tuple[Any, list[videos.Box]]]) -> int:
    """The walker whose true box (in the frame of the item's timestamp, 40 ms a frame) fits best."""
    truths = walk[item["Timestamp"] // 40][1]
    return max(range(len(truths)), key=lambda who: iou(item["Person"]["BoundingBox"], truths[who]))


def test_two_people_moving_across_a_photo_keep_one_index_each(runtime: WorkerRuntime, tmp_path: Path) -> None:
    walk = list(videos.person_walk_frames(WALKERS, 75))  # 3 s at 25 fps
    path = videos.write_video(tmp_path / "walk.mp4", (picture for picture, _ in walk))
    items = track(runtime, path)
    by_index: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        by_index[item["Person"]["Index"]].append(item)
    assert sorted(by_index) == [0, 1]
    for index, seen in by_index.items():
        walker = {closest_walker(item, walk) for item in seen}
        assert len(walker) == 1, f"Index {index} jumped between people"
        [who] = walker
        for item in seen:
            truth = walk[item["Timestamp"] // 40][1][who]
            assert iou(item["Person"]["BoundingBox"], truth) > 0.5
        assert len(seen) >= 12  # of the 15 sampled frames (a new track is confirmed on its second)
    assert all(item["Timestamp"] % 200 == 0 for item in items)


def test_a_person_hidden_for_under_a_second_keeps_the_index(runtime: WorkerRuntime, tmp_path: Path) -> None:
    walker = videos.Walker("bus", 150, 10, 200, 60)
    walk = list(videos.person_walk_frames([walker], 75))
    empty = videos.fit(videos.photo("rocket"), 320, 240)
    pictures = [picture if not 25 <= frame < 40 else empty for frame, (picture, _) in enumerate(walk)]
    items = track(runtime, videos.write_video(tmp_path / "hidden.mp4", pictures))
    assert {item["Person"]["Index"] for item in items} == {0}
    timestamps = [item["Timestamp"] for item in items]
    assert not any(1000 <= timestamp < 1600 for timestamp in timestamps)
    assert any(timestamp >= 1600 for timestamp in timestamps)


def test_a_real_clip_gives_indices_from_zero_and_boxes_inside_the_frame(runtime: WorkerRuntime) -> None:
    if not HAMILTON.is_file():
        pytest.skip(f"{HAMILTON} is not present")
    items = track(runtime, HAMILTON)
    indices = sorted({item["Person"]["Index"] for item in items})
    assert indices == list(range(len(indices)))
    for item in items:
        box = item["Person"]["BoundingBox"]
        assert set(box) == {"Width", "Height", "Left", "Top"}
        assert box["Left"] >= 0 and box["Left"] + box["Width"] <= 1 + 1e-9
        assert box["Top"] >= 0 and box["Top"] + box["Height"] <= 1 + 1e-9
    # the performer on stage (frames 82-210, 2.7-7.0 s) is tracked under one Index throughout
    stage = [item for item in items if 3000 <= item["Timestamp"] <= 6900]
    assert len(stage) >= 15 and len({item["Person"]["Index"] for item in stage}) == 1


def test_each_visible_face_is_attached_to_its_person(runtime: WorkerRuntime, tmp_path: Path) -> None:
    walk = list(videos.person_walk_frames(WALKERS, 75))
    items = track(runtime, videos.write_video(tmp_path / "walk.mp4", (picture for picture, _ in walk)))
    with_face = [item for item in items if "Face" in item["Person"]]
    assert len(with_face) >= 0.8 * len(items)
    for item in with_face:
        person, face = item["Person"]["BoundingBox"], item["Person"]["Face"]
        assert {"BoundingBox", "Confidence", "Landmarks", "Pose", "Quality"} <= set(face)
        centre_x = face["BoundingBox"]["Left"] + face["BoundingBox"]["Width"] / 2
        centre_y = face["BoundingBox"]["Top"] + face["BoundingBox"]["Height"] / 2
        assert person["Left"] <= centre_x <= person["Left"] + person["Width"]
        assert person["Top"] <= centre_y <= person["Top"] + person["Height"] / 2


def test_a_face_goes_to_the_tightest_person_box_holding_it_and_only_once() -> None:
    outer = Track(0, (0.0, 0.0, 1.0, 1.0), 0.9)
    inner = Track(1, (0.4, 0.1, 0.2, 0.8), 0.9)
    face = {"BoundingBox": {"Left": 0.45, "Top": 0.15, "Width": 0.1, "Height": 0.1}, "Confidence": 99.0}
    low = {"BoundingBox": {"Left": 0.45, "Top": 0.15, "Width": 0.1, "Height": 0.1}, "Confidence": 60.0}
    feet = {"BoundingBox": {"Left": 0.45, "Top": 0.8, "Width": 0.1, "Height": 0.1}, "Confidence": 99.0}
    assert persons.faces_of([outer, inner], [low, face]) == {1: face, 0: low}
    assert persons.faces_of([inner], [feet]) == {}


def by_shot(items: list[dict[str, Any]], cuts_ms: list[int]) -> list[set[int]]:
    """The Indices seen in each shot, shots ending at ``cuts_ms``."""
    bounds = [0, *cuts_ms, 10**9]
    return [
        {item["Person"]["Index"] for item in items if start <= item["Timestamp"] < end}
        for start, end in itertools.pairwise(bounds)
    ]


def test_a_different_person_at_the_same_place_after_a_cut_gets_a_new_index(
    runtime: WorkerRuntime, tmp_path: Path
) -> None:
    shots = [
        *videos.portrait_shot("rocket", "obama_1.jpg", 30),
        *videos.portrait_shot("coffee", "biden_2.jpg", 30),
    ]
    items = track(runtime, videos.write_video(tmp_path / "two_people.mp4", shots))
    assert by_shot(items, [1200]) == [{0}, {1}]
    assert len([item for item in items if item["Timestamp"] >= 1200]) == 6  # from the cut on


def test_a_person_back_after_a_cut_to_an_empty_scene_keeps_the_index(
    runtime: WorkerRuntime, tmp_path: Path
) -> None:
    shots = [
        *videos.portrait_shot("rocket", "obama_1.jpg", 30),
        *videos.portrait_shot("coffee", None, 60),  # 2.4 s: longer than person_lost_s
        *videos.portrait_shot("chelsea", "obama_2.jpg", 30, left=150),
    ]
    items = track(runtime, videos.write_video(tmp_path / "back.mp4", shots))
    assert by_shot(items, [1200, 3600]) == [{0}, set(), {0}]
    assert len([item for item in items if item["Timestamp"] >= 3600]) == 6


def test_in_a_real_clip_the_performer_keeps_his_index_across_a_cut_and_no_index_crosses_a_cut_by_overlap(
    runtime: WorkerRuntime,
) -> None:
    """hamilton_clip.mp4: the performer on stage (shot 1, wide), a man in profile and the audience
    (shot 2), the performer close up (shot 3), the audience (shot 4); cuts at 0.67, 2.74 and 7.04 s.
    Only shots 1 and 3 show the same person, and only there is a face good enough to search with."""
    if not HAMILTON.is_file():
        pytest.skip(f"{HAMILTON} is not present")
    items = track(runtime, HAMILTON)
    assert by_shot(items, [667, 2736, 7040]) == [{0}, {1, 2}, {0}, {3, 4}]


def test_a_person_hidden_for_longer_than_the_lost_time_in_one_shot_keeps_the_index(
    runtime: WorkerRuntime, tmp_path: Path
) -> None:
    walker = videos.Walker("bus", 150, 10, 200, 60)
    walk = list(videos.person_walk_frames([walker], 110))
    empty = videos.fit(videos.photo("rocket"), 320, 240)
    pictures = [picture if not 25 <= frame < 85 else empty for frame, (picture, _) in enumerate(walk)]
    items = track(runtime, videos.write_video(tmp_path / "long_gone.mp4", pictures))  # hidden 2.4 s
    assert by_shot(items, [1000, 3400]) == [{0}, set(), {0}]
