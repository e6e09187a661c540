"""DetectLabels models: an ImageNet classifier mapped through a WordNet-based label taxonomy, people
from MediaPipe BlazePose, and an operator-supplied YOLO detector when one is installed."""

from __future__ import annotations

from pathlib import Path

from argus.vision.labels.classifier import WEIGHTS_FILE, ImageNetClassifier, resolve_device
from argus.vision.labels.detector import LabelDetector
from argus.vision.labels.persons import PersonDetector
from argus.vision.labels.taxonomy import load_taxonomy
from argus.vision.labels.yolo import YoloDetector, find_weights


def build_detector(
    classifier_dir: Path, pose_dir: Path, model_dir: Path, device_setting: str = "auto"
) -> LabelDetector:
    """The label detector from the extracted weights (and ``model_dir/yolo/*.pt`` when present)."""
    device = resolve_device(device_setting)
    classifier = ImageNetClassifier(classifier_dir / WEIGHTS_FILE, device=device)
    yolo_weights = find_weights(model_dir)
    if yolo_weights is not None:
        return LabelDetector(load_taxonomy(), classifier, objects=YoloDetector(yolo_weights, device=device))
    return LabelDetector(load_taxonomy(), classifier, people=PersonDetector(pose_dir))


__all__ = ["LabelDetector", "build_detector"]
