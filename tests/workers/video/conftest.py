"""An in-process video worker: the real runner, models, SQLite database and local object store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from argus.core.config import Mode, Settings, VideoSettings
from argus.core.db.migrate import upgrade
from argus.core.models.registry import ModelRegistry
from argus.core.storage import ObjectRef
from argus.jobs.repository import JobRepository, NewJob
from argus.workers.runtime import WorkerRuntime
from tests.conftest import SHARED_DATA
from tests.video.media import fit, solid, write_video

ACCOUNT, REGION, BUCKET = "111122223333", "eu-west-1", "videos"


@pytest.fixture(scope="session")
def registry() -> ModelRegistry:
    registry = ModelRegistry(Settings())
    missing = [entry.missing for entry in registry.status() if entry.missing]
    if missing:
        pytest.skip(f"model weights missing ({missing[0]}); run `argus models fetch`")
    return registry


@pytest.fixture
def runtime(tmp_path: Path, registry: ModelRegistry) -> Iterator[WorkerRuntime]:
    url = f"sqlite:///{tmp_path / 'argus.db'}"
    upgrade(url)
    video = VideoSettings(face_sample_fps=5.0, face_search_sample_fps=5.0, label_sample_fps=1.0)
    runtime = WorkerRuntime(Settings(mode=Mode.EMBEDDED, data_dir=tmp_path, database_url=url, video=video))
    runtime.registry = registry
    runtime.store.ensure_bucket(BUCKET)
    yield runtime
    runtime.indexes.close()
    runtime.db.dispose()


def face_photo(name: str) -> np.ndarray:
    return np.asarray(Image.open(SHARED_DATA / "faces" / name).convert("RGB"))


@pytest.fixture(scope="session")
def face_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """2 s of Obama's face, then 1 s of black, 320x240 at 10 fps."""
    path = tmp_path_factory.mktemp("clips") / "face.mp4"
    face = fit(face_photo("obama_1.jpg"), 320, 240)
    return write_video(path, [(face, 2.0), (solid((0, 0, 0), 320, 240), 1.0)], fps=10).read_bytes()


def put_video(runtime: WorkerRuntime, name: str, data: bytes) -> None:
    runtime.store.put(ObjectRef(BUCKET, name), data)


def start(runtime: WorkerRuntime, kind: str, name: str, **params: object) -> str:
    request = {"Video": {"S3Object": {"Bucket": BUCKET, "Name": name}}, **params}
    return JobRepository(runtime.db).create(NewJob(ACCOUNT, REGION, kind, request)).job_id
