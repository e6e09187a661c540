"""Face-mask classifier: the Keras HDF5 weights in the PyTorch re-build, on real bare faces."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from argus.vision.faces.analyzer import face_box
from argus.vision.faces.blazeface import BlazeFaceDetector
from argus.vision.ppe.mask import FaceMaskClassifier, _block_names, build_model
from tests.vision.conftest import RGB, load_rgb


def test_keras_stride_2_convolutions_pad_only_bottom_and_right() -> None:
    import torch

    model = build_model()
    stem = model.stem
    with torch.no_grad():
        stem.conv.weight.zero_()
        stem.conv.weight[:, :, 0, 0] = 1.0  # each output = the top-left input of its window
        stem.bn.eval()
        x = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4).repeat(1, 3, 1, 1)
        y = stem.conv(torch.nn.functional.pad(x, (0, 1, 0, 1)))
    # Windows start at rows/cols 0 and 2 (Keras); PyTorch's symmetric padding would start at -1 and 1.
    assert y[0, 0].tolist() == [[0.0 * 3, 2.0 * 3], [8.0 * 3, 10.0 * 3]]


def test_mobilenet_v2_has_keras_block_names_and_strides() -> None:
    blocks = _block_names()
    assert len(blocks) == 17
    assert blocks[0][0] == "expanded_conv"
    assert blocks[-1][0] == "block_16"
    assert [block[0] for block in blocks if block[4] == 2] == ["block_1", "block_3", "block_6", "block_13"]


def test_the_module_holds_exactly_as_many_values_as_the_hdf5_file(masks: FaceMaskClassifier) -> None:
    import h5py

    sizes: list[int] = []

    def count(_: str, item: object) -> None:
        if isinstance(item, h5py.Dataset):
            sizes.append(int(item.size))

    with h5py.File(masks.model_path, "r") as archive:
        archive["model_weights"].visititems(count)
    ours = sum(int(p.numel()) for p in masks._model.parameters())
    ours += sum(int(b.numel()) for name, b in masks._model.named_buffers() if "running" in name)
    assert ours == sum(sizes) == 2_257_984 + 1280 * 128 + 128 + 128 * 2 + 2  # MobileNetV2 without top + head


def test_astronaut_bare_face_is_not_masked(
    masks: FaceMaskClassifier, detector: BlazeFaceDetector, astronaut: RGB
) -> None:
    face = detector.detect(astronaut)[0]
    (probability,) = masks.mask_probabilities(astronaut, [face_box(face)])
    assert probability is not None and probability < 0.1


def test_every_bare_face_of_the_shared_photos_is_not_masked(
    masks: FaceMaskClassifier, detector: BlazeFaceDetector, shared_faces: Path
) -> None:
    boxes_seen = 0
    for path in sorted(shared_faces.glob("*.*")):
        if path.suffix.lower() not in {".jpg", ".png"}:
            continue
        rgb = load_rgb(path)
        boxes = [face_box(face) for face in detector.detect(rgb)]
        boxes_seen += len(boxes)
        for probability in masks.mask_probabilities(rgb, boxes):
            assert probability is not None and probability < 0.5, path.name
    assert boxes_seen >= 21


def test_box_outside_the_image_gives_none(masks: FaceMaskClassifier) -> None:
    rgb = np.zeros((100, 100, 3), dtype=np.uint8)
    assert masks.mask_probabilities(rgb, [(200.0, 200.0, 300.0, 300.0)]) == [None]
