"""DetectModerationLabels for one image: both classifiers, then the taxonomy's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from argus.core.models.files import NUDENET, OPENNSFW, extracted_model
from argus.vision.moderation import taxonomy as taxonomy_module
from argus.vision.moderation.nudenet import NudeNetDetector, best_scores
from argus.vision.moderation.opennsfw import OpenNsfwClassifier
from argus.vision.moderation.taxonomy import Evidence, Taxonomy, moderation_labels

NUDENET_FILE = "320n.onnx"
OPENNSFW_FILE = "open-nsfw.onnx"


class Moderator:
    def __init__(self, detector: NudeNetDetector, classifier: OpenNsfwClassifier, taxonomy: Taxonomy) -> None:
        self.detector = detector
        self.classifier = classifier
        self.taxonomy = taxonomy

    @classmethod
    def from_files(cls, model_dir: Path, device: str = "cpu") -> Moderator:
        return cls(
            NudeNetDetector(extracted_model(model_dir, NUDENET, NUDENET_FILE), device),
            OpenNsfwClassifier(extracted_model(model_dir, OPENNSFW, OPENNSFW_FILE), device),
            taxonomy_module.load(),
        )

    @property
    def model_version(self) -> str:
        return self.taxonomy.model_version

    def evidence(self, rgb: NDArray[np.uint8]) -> Evidence:
        return Evidence(
            nudenet=best_scores(self.detector.detect(rgb)),
            open_nsfw=self.classifier.nsfw_probability(rgb),
        )

    def moderation_labels(self, rgb: NDArray[np.uint8], min_confidence: float) -> list[dict[str, Any]]:
        return moderation_labels(self.taxonomy, self.evidence(rgb), min_confidence)
