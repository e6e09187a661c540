"""Evaluation maths: threshold sweep, IoU matching, macro averages, and the summary document."""

from __future__ import annotations

import pytest

from argus.custom_labels.evaluation import (
    LabelMetrics,
    Scored,
    aggregate,
    best_threshold,
    score_detections,
    summary,
)


def test_the_threshold_is_the_confidence_that_maximises_f1() -> None:
    # 3 truths; at 0.9: TP=1 (F1 .5); at 0.8: TP=2 (F1 .8); at 0.4: TP=2 FP=1 (F1 .667);
    # at 0.3: TP=3 FP=1 (F1 .857)
    scored = [Scored(0.9, True), Scored(0.8, True), Scored(0.4, False), Scored(0.3, True)]
    metrics = best_threshold("cat", scored, positives=3, test_images=3)
    assert metrics == LabelMetrics("cat", 0.75, 1.0, pytest.approx(6 / 7), 0.3, 3)


def test_ties_keep_the_higher_threshold() -> None:
    scored = [Scored(0.9, True), Scored(0.5, False), Scored(0.4, True)]
    # at 0.9: P=1 R=.5 F1=.667; at 0.4: P=.667 R=1 F1=.8 -> 0.4
    assert best_threshold("a", scored, 2, 2).threshold == 0.4
    assert best_threshold("a", [Scored(0.9, True), Scored(0.2, False)], 1, 1).threshold == 0.9


def test_equal_confidences_count_together() -> None:
    scored = [Scored(0.7, True), Scored(0.7, False)]
    assert best_threshold("a", scored, 1, 1) == LabelMetrics("a", 0.5, 1.0, pytest.approx(2 / 3), 0.7, 1)


def test_no_predictions_score_zero() -> None:
    assert best_threshold("a", [], 4, 2) == LabelMetrics("a", 0.0, 0.0, 0.0, 1.0, 2)


def test_each_truth_matches_one_prediction_most_confident_first() -> None:
    truths = [(0.0, 0.0, 10.0, 10.0)]
    predictions = [
        (0.6, (0.0, 0.0, 10.0, 9.0)),
        (0.9, (1.0, 0.0, 10.0, 10.0)),
        (0.8, (50.0, 50.0, 60.0, 60.0)),
    ]
    assert score_detections(predictions, truths) == [
        Scored(0.9, True),
        Scored(0.8, False),
        Scored(0.6, False),  # a duplicate of a matched truth is a false positive
    ]


def test_low_overlap_is_not_a_match() -> None:
    assert score_detections([(0.9, (0.0, 0.0, 10.0, 10.0))], [(6.0, 0.0, 16.0, 10.0)]) == [Scored(0.9, False)]


def test_aggregate_is_the_mean_over_labels() -> None:
    metrics = [LabelMetrics("a", 1.0, 0.5, 0.6, 0.5, 1), LabelMetrics("b", 0.5, 1.0, 0.8, 0.5, 1)]
    assert aggregate(metrics) == pytest.approx((0.7, 0.75, 0.75))
    assert aggregate([]) == (0.0, 0.0, 0.0)


def test_the_summary_has_rekognitions_shape() -> None:
    document = summary([LabelMetrics("a", 1.0, 0.5, 2 / 3, 0.42, 7)], "arn:v", 30, 7, "2026-11-25T12:00:00")
    assert document["EvaluationDetails"] == {
        "EvaluationEndTimestamp": "2026-11-25T12:00:00",
        "Labels": ["a"],
        "NumberOfTestingImages": 7,
        "NumberOfTrainingImages": 30,
        "ProjectVersionArn": "arn:v",
    }
    assert document["LabelEvaluationResults"] == [
        {
            "Label": "a",
            "NumberOfTestingImages": 7,
            "Metrics": {"F1Score": 2 / 3, "Precision": 1.0, "Recall": 0.5, "Threshold": 0.42},
        }
    ]
    assert document["AggregatedEvaluationResults"]["F1Score"] == 2 / 3
