"""Per-label precision, recall and F1 on the test set, and the threshold that maximises F1.

For each label the model's predictions on the test images are scored as true or false positives
(detection: greedy matching to a not yet matched ground-truth box of the label at IoU >= 0.5, most
confident first; classification: the image's top-1 label is right or wrong). Sweeping the threshold
down through the prediction confidences gives precision = TP / (TP + FP) and recall = TP / positives
at each candidate; the threshold is the confidence that gives the highest F1 (ties: the higher
threshold). The version's F1 is the mean of its labels' F1 (macro average), as the summary's
aggregated result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from argus.vision.boxes import iou

IOU_MATCH = 0.5


@dataclass(frozen=True)
class LabelMetrics:
    label: str
    precision: float
    recall: float
    f1: float
    threshold: float  # confidence 0-1
    test_images: int


@dataclass(frozen=True)
class Scored:
    confidence: float  # 0-1
    correct: bool


def best_threshold(label: str, scored: Sequence[Scored], positives: int, test_images: int) -> LabelMetrics:
    """The F1-maximising threshold over ``scored`` predictions of one label with ``positives`` truths."""
    best = LabelMetrics(label, 0.0, 0.0, 0.0, 1.0, test_images)
    true_positives = false_positives = 0
    ordered = sorted(scored, key=lambda item: -item.confidence)
    for index, item in enumerate(ordered):
        if item.correct:
            true_positives += 1
        else:
            false_positives += 1
        if index + 1 < len(ordered) and ordered[index + 1].confidence == item.confidence:
            continue  # a threshold keeps every prediction of the same confidence
        precision = true_positives / (true_positives + false_positives)
        recall = true_positives / positives if positives else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best.f1:
            best = LabelMetrics(label, precision, recall, f1, item.confidence, test_images)
    return best


Box = tuple[float, float, float, float]


def score_detections(
    predictions: Sequence[tuple[float, Box]], truths: Sequence[Box], iou_match: float = IOU_MATCH
) -> list[Scored]:
    """One image, one label: each prediction is correct when it matches a still unmatched truth."""
    matched: set[int] = set()
    scored = []
    for confidence, box in sorted(predictions, key=lambda item: -item[0]):
        best, best_iou = -1, iou_match
        for index, truth in enumerate(truths):
            overlap = iou(box, truth)
            if index not in matched and overlap >= best_iou:
                best, best_iou = index, overlap
        if best >= 0:
            matched.add(best)
        scored.append(Scored(confidence, best >= 0))
    return scored


def aggregate(metrics: Sequence[LabelMetrics]) -> tuple[float, float, float]:
    """Macro-averaged (F1, precision, recall) over labels."""
    if not metrics:
        return 0.0, 0.0, 0.0
    count = len(metrics)
    return (
        sum(m.f1 for m in metrics) / count,
        sum(m.precision for m in metrics) / count,
        sum(m.recall for m in metrics) / count,
    )


def summary(
    metrics: Sequence[LabelMetrics],
    version_arn: str,
    training_images: int,
    test_images: int,
    ended: str,
) -> dict[str, Any]:
    """The evaluation summary document, shaped like Rekognition's ``EvaluationResultSummary`` JSON."""
    f1, precision, recall = aggregate(metrics)
    return {
        "Version": 1,
        "AggregatedEvaluationResults": {"F1Score": f1, "Precision": precision, "Recall": recall},
        "EvaluationDetails": {
            "EvaluationEndTimestamp": ended,
            "Labels": [m.label for m in metrics],
            "NumberOfTestingImages": test_images,
            "NumberOfTrainingImages": training_images,
            "ProjectVersionArn": version_arn,
        },
        "LabelEvaluationResults": [
            {
                "Label": m.label,
                "NumberOfTestingImages": m.test_images,
                "Metrics": {
                    "F1Score": m.f1,
                    "Precision": m.precision,
                    "Recall": m.recall,
                    "Threshold": m.threshold,
                },
            }
            for m in metrics
        ],
    }
