"""The operator-supplied YOLO path: a ``*.pt`` in ``model_dir/yolo`` replaces BlazePose for instances.

No trained COCO weights install offline, so this checks the loading and inference path with a YOLO
model built from ultralytics' own architecture file (random weights: it finds nothing, and nothing
breaks), and trains a YOLOv8n from scratch on generated pictures of one class, which DetectLabels
must then find where it was drawn. The mapping of YOLO classes onto the taxonomy is checked with a
stand-in detector in ``test_labels_response.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from argus.core.config import Settings
from argus.core.models import files
from argus.vision.labels import build_detector
from argus.vision.labels.classifier import WEIGHTS_FILE
from argus.vision.labels.yolo import YoloDetector, find_weights


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("ultralytics") is None:
        pytest.skip("ultralytics is not installed")
    from ultralytics import YOLO

    folder = tmp_path_factory.mktemp("models")
    (folder / "yolo").mkdir()
    YOLO("yolov8n.yaml").save(str(folder / "yolo" / "untrained.pt"))
    return folder


def test_no_yolo_folder_means_no_yolo(tmp_path: Path) -> None:
    assert find_weights(tmp_path) is None
    (tmp_path / "yolo").mkdir()
    assert find_weights(tmp_path) is None


def test_a_yolo_checkpoint_replaces_the_person_detector(model_dir: Path, bus: NDArray[np.uint8]) -> None:
    real = Settings().model_dir
    if not (real / files.MOBILENET_V2.subdir / WEIGHTS_FILE).is_file():
        pytest.skip("run `argus models fetch`")
    assert find_weights(model_dir) == model_dir / "yolo" / "untrained.pt"
    detector = build_detector(
        real / files.MOBILENET_V2.subdir, real / files.MEDIAPIPE_BODY.subdir, model_dir, "cpu"
    )
    assert isinstance(detector.objects, YoloDetector)
    assert detector.people is None
    assert len(detector.objects.names) == 80
    labels = {label.name: label for label in detector.detect(bus)}
    assert labels["Vehicle"].confidence > 90  # the classifier still labels the scene
    assert all(not label.instances for label in labels.values())  # random weights find nothing


def render_squares(
    count: int, seed: int, folder: Path | None = None
) -> list[tuple[NDArray[np.uint8], list[tuple[int, int, int]]]]:
    """Dark 96x96 pictures with one or two red squares; (image, [(left, top, side)]) each.

    With ``folder``, also writes them as a YOLO dataset split (images/ and labels/)."""
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    rendered = []
    for number in range(count):
        image = Image.new("RGB", (96, 96), tuple(int(v) for v in rng.integers(0, 80, 3)))
        draw = ImageDraw.Draw(image)
        squares = []
        for _ in range(int(rng.integers(1, 3))):
            side = int(rng.integers(18, 36))
            left, top = (int(v) for v in rng.integers(0, 96 - side, 2))
            draw.rectangle([left, top, left + side, top + side], fill=(240, 40, 40))
            squares.append((left, top, side))
        if folder is not None:
            (folder / "images").mkdir(parents=True, exist_ok=True)
            (folder / "labels").mkdir(parents=True, exist_ok=True)
            image.save(folder / "images" / f"{number}.png")
            (folder / "labels" / f"{number}.txt").write_text(
                "\n".join(f"0 {(x + s / 2) / 96} {(y + s / 2) / 96} {s / 96} {s / 96}" for x, y, s in squares)
            )
        rendered.append((np.asarray(image), squares))
    return rendered


@pytest.fixture(scope="module")
def trained_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A YOLOv8n trained from scratch here, on generated pictures of one class ("red square")."""
    if importlib.util.find_spec("ultralytics") is None:
        pytest.skip("ultralytics is not installed")
    from ultralytics import YOLO

    work = tmp_path_factory.mktemp("yolo-train")
    render_squares(120, seed=1, folder=work / "train")
    (work / "data.yaml").write_text(
        f"path: {work}\ntrain: train/images\nval: train/images\nnames:\n  0: red square\n"
    )
    model = YOLO("yolov8n.yaml")
    model.train(
        data=str(work / "data.yaml"),
        epochs=60,
        imgsz=96,
        batch=16,
        device="cpu",
        plots=False,
        amp=False,
        workers=0,
        val=False,
        project=str(work / "runs"),
        name="squares",
        exist_ok=True,
        verbose=False,
        seed=0,
    )
    folder = tmp_path_factory.mktemp("models")
    (folder / "yolo").mkdir()
    (work / "runs" / "squares" / "weights" / "last.pt").rename(folder / "yolo" / "squares.pt")
    return folder


def test_a_self_trained_yolo_finds_its_class_where_it_is(trained_model_dir: Path) -> None:
    real = Settings().model_dir
    if not (real / files.MOBILENET_V2.subdir / WEIGHTS_FILE).is_file():
        pytest.skip("run `argus models fetch`")
    detector = build_detector(
        real / files.MOBILENET_V2.subdir, real / files.MEDIAPIPE_BODY.subdir, trained_model_dir, "cpu"
    )
    assert isinstance(detector.objects, YoloDetector)
    assert detector.objects.names == {0: "red square"}
    [(image, squares)] = render_squares(1, seed=99)
    labels = [label for label in detector.detect(image) if label.instances]
    assert len(labels) == 1
    found = labels[0].instances
    assert len(found) >= len(squares)
    for left, top, side in squares:
        truth = (left, top, left + side, top + side)
        assert any(
            max(abs(a - b) for a, b in zip(instance.box, truth, strict=True)) < 6 for instance in found
        ), (
            squares,
            found,
        )
