"""The model registry loads each model once per process, lazily, and says what is missing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from argus.core.config import Settings
from argus.core.models.registry import SPECS, ModelRegistry, ModelSpec, Task


def counting_spec(calls: list[int]) -> ModelSpec:
    def load(settings: Settings, registry: ModelRegistry) -> Any:
        calls.append(1)
        return object()

    return ModelSpec(
        task=Task.FACE_DETECTION,
        name="counted",
        version="0",
        licence="-",
        source="-",
        weights=lambda settings: [],
        load=load,
    )


def test_a_model_is_loaded_once_however_many_threads_ask() -> None:
    calls: list[int] = []
    registry = ModelRegistry(Settings(), specs=(counting_spec(calls),))
    seen: list[Any] = []
    threads = [
        threading.Thread(target=lambda: seen.append(registry.get(Task.FACE_DETECTION))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(model) for model in seen}) == 1


def test_nothing_is_loaded_before_it_is_asked_for() -> None:
    calls: list[int] = []
    registry = ModelRegistry(Settings(), specs=(counting_spec(calls),))
    assert [entry.loaded for entry in registry.status()] == [False]
    assert calls == []


def test_an_empty_model_directory_is_reported_missing(tmp_path: Path) -> None:
    registry = ModelRegistry(Settings(model_dir=tmp_path))
    missing = registry.missing()
    assert any(line.startswith("face-detection:") and "argus models fetch" in line for line in missing)


def test_every_task_has_exactly_one_model_with_a_licence() -> None:
    assert sorted(spec.task for spec in SPECS) == sorted(Task)
    assert all(spec.licence and spec.source and spec.version for spec in SPECS)


def test_the_installed_weights_are_all_present() -> None:
    assert ModelRegistry(Settings()).missing() == []


def test_models_list_says_when_labels_fall_back_without_yolo_weights(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from argus.cli import main

    result = CliRunner().invoke(main, ["models", "list"], env={"ARGUS_MODEL_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    entries = {entry["task"]: entry for entry in map(json.loads, result.output.splitlines())}
    assert entries["label-detection"]["choice"].startswith(
        f"fallback: no YOLO weights in {tmp_path / 'yolo'}"
    )
    assert entries["face-detection"]["choice"] is None
