"""Custom Labels end to end with boto3: real datasets in S3 (moto), real training on the training
worker, the boto3 waiters, and DetectCustomLabels on the image workers (cluster mode).

The datasets are drawn here (:mod:`tests.custom_labels.shapes`): red squares with boxes among blue
circles for detection, and big squares or circles with image-level labels for classification.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import boto3
import numpy as np
import pytest
from botocore.exceptions import WaiterError
from sqlalchemy import create_engine, text

from tests.custom_labels import shapes
from tests.e2e.conftest import client_for
from tests.e2e.servers import Server, argus, start

DATA = "custom-labels-data"
OUT = "custom-labels-out"
TRAINING_WAIT = {"Delay": 2, "MaxAttempts": 300}
RUNNING_WAIT = {"Delay": 1, "MaxAttempts": 120}


def s3_client(server: Server) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=server.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture(scope="module")
def datasets(cluster: Server) -> dict[str, Any]:
    """Detection (100 images) and classification (100 training + 24 test images) datasets in S3."""
    s3 = s3_client(cluster)
    s3.create_bucket(Bucket=DATA)
    s3.create_bucket(Bucket=OUT)
    detection = shapes.detection_set(100, seed=1)
    train_cls = shapes.classification_set(100, seed=2, prefix="classify/train")
    test_cls = shapes.classification_set(24, seed=3, prefix="classify/test")
    for picture in [*detection, *train_cls, *test_cls]:
        s3.put_object(Bucket=DATA, Key=picture.key, Body=picture.png)
    manifests = {
        "detect/train.manifest": [shapes.detection_line(DATA, p) for p in detection],
        "classify/train.manifest": [shapes.classification_line(DATA, p) for p in train_cls],
        "classify/test.manifest": [shapes.classification_line(DATA, p) for p in test_cls],
    }
    for key, lines in manifests.items():
        s3.put_object(Bucket=DATA, Key=key, Body=shapes.manifest(lines))
    return {"s3": s3}


def asset(name: str) -> dict[str, Any]:
    return {"GroundTruthManifest": {"S3Object": {"Bucket": DATA, "Name": name}}}


def describe(client: Any, project: str, version: str) -> dict[str, Any]:
    found = client.describe_project_versions(ProjectArn=project, VersionNames=[version])
    [description] = found["ProjectVersionDescriptions"]
    return description  # type: ignore[no-any-return]


def wait(client: Any, name: str, project: str, version: str, config: dict[str, int]) -> float:
    started = time.monotonic()
    client.get_waiter(name).wait(ProjectArn=project, VersionNames=[version], WaiterConfig=config)
    return time.monotonic() - started


def s3_json(s3: Any, s3_object: dict[str, str]) -> Any:
    return json.loads(s3.get_object(Bucket=s3_object["Bucket"], Key=s3_object["Name"])["Body"].read())


@pytest.fixture(scope="module")
def detection(cluster: Server, datasets: dict[str, Any]) -> dict[str, Any]:
    """A detection project whose version v1 starts training at once (the tests below go in order)."""
    client = client_for(cluster)
    project = client.create_project(ProjectName="squares")["ProjectArn"]
    started = time.monotonic()
    version = client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "squares-output"},
        TrainingData={"Assets": [asset("detect/train.manifest")]},
        TestingData={"AutoCreate": True},
    )["ProjectVersionArn"]
    return {"project": project, "version": version, "started": started}


def test_a_new_version_is_training(cluster: Server, detection: dict[str, Any]) -> None:
    client = client_for(cluster)
    description = describe(client, detection["project"], "v1")
    assert description["ProjectVersionArn"] == detection["version"]
    assert description["Status"] == "TRAINING_IN_PROGRESS"
    assert description["OutputConfig"] == {"S3Bucket": OUT, "S3KeyPrefix": "squares-output"}


def test_version_names_are_unique_in_a_project(cluster: Server, detection: dict[str, Any]) -> None:
    client = client_for(cluster)
    with pytest.raises(client.exceptions.ResourceInUseException, match="already has a version named v1"):
        client.create_project_version(
            ProjectArn=detection["project"],
            VersionName="v1",
            OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "again"},
            TrainingData={"Assets": [asset("detect/train.manifest")]},
            TestingData={"AutoCreate": True},
        )


def test_a_training_version_cannot_be_deleted_or_used(cluster: Server, detection: dict[str, Any]) -> None:
    client = client_for(cluster)
    with pytest.raises(client.exceptions.ResourceInUseException, match="TRAINING_IN_PROGRESS"):
        client.delete_project_version(ProjectVersionArn=detection["version"])
    with pytest.raises(client.exceptions.ResourceNotReadyException, match="not RUNNING"):
        client.detect_custom_labels(
            ProjectVersionArn=detection["version"], Image={"Bytes": shapes.detection_set(1, seed=5)[0].png}
        )


def test_a_project_with_versions_cannot_be_deleted(cluster: Server, detection: dict[str, Any]) -> None:
    client = client_for(cluster)
    with pytest.raises(client.exceptions.ResourceInUseException, match="has 1 version"):
        client.delete_project(ProjectArn=detection["project"])


def test_detection_training_completes_with_a_high_f1(
    cluster: Server, detection: dict[str, Any], datasets: dict[str, Any]
) -> None:
    client = client_for(cluster)
    wait(client, "project_version_training_completed", detection["project"], "v1", TRAINING_WAIT)
    elapsed = time.monotonic() - detection["started"]
    description = describe(client, detection["project"], "v1")
    print(f"detection: trained in {elapsed:.0f} s, F1 {description['EvaluationResult']['F1Score']:.3f}")
    assert description["Status"] == "TRAINING_COMPLETED"
    assert description["EvaluationResult"]["F1Score"] > 0.8  # one label: chance is far below
    assert 0 < description["BillableTrainingTimeInSeconds"] <= elapsed + 1
    assert description["TrainingEndTimestamp"] > description["CreationTimestamp"]
    summary = s3_json(datasets["s3"], description["EvaluationResult"]["Summary"]["S3Object"])
    [label] = summary["LabelEvaluationResults"]
    assert label["Label"] == shapes.SQUARE
    assert label["NumberOfTestingImages"] == 20  # the 80/20 AutoCreate split of 100 images
    assert summary["EvaluationDetails"]["NumberOfTrainingImages"] == 80
    assert summary["AggregatedEvaluationResults"]["F1Score"] == description["EvaluationResult"]["F1Score"]
    manifest_summary = s3_json(datasets["s3"], description["ManifestSummary"]["S3Object"])
    assert manifest_summary["statistics"] == {
        "total_json_lines": 100,
        "valid_json_lines": 100,
        "invalid_json_lines": 0,
    }
    assert description["TestingDataResult"]["Output"]["AutoCreate"] is True


def test_a_started_version_runs_and_finds_squares_where_they_are(
    cluster: Server, detection: dict[str, Any], datasets: dict[str, Any]
) -> None:
    client = client_for(cluster)
    started = client.start_project_version(ProjectVersionArn=detection["version"], MinInferenceUnits=1)
    assert started["Status"] == "STARTING"
    wait(client, "project_version_running", detection["project"], "v1", RUNNING_WAIT)
    assert describe(client, detection["project"], "v1")["MinInferenceUnits"] == 1
    [picture] = shapes.detection_set(1, seed=99, prefix="new")
    datasets["s3"].put_object(Bucket=DATA, Key=picture.key, Body=picture.png)
    for image in ({"Bytes": picture.png}, {"S3Object": {"Bucket": DATA, "Name": picture.key}}):
        labels = client.detect_custom_labels(ProjectVersionArn=detection["version"], Image=image)[
            "CustomLabels"
        ]
        assert {label["Name"] for label in labels} == {shapes.SQUARE}
        for left, top, width, height in picture.boxes:
            truth = np.array([left, top, width, height]) / shapes.SIZE
            assert any(
                np.abs(np.array([box[k] for k in ("Left", "Top", "Width", "Height")]) - truth).max() < 0.06
                for box in (label["Geometry"]["BoundingBox"] for label in labels)
            ), (picture.boxes, labels)
        for label in labels:
            box, polygon = label["Geometry"]["BoundingBox"], label["Geometry"]["Polygon"]
            assert polygon[0] == {"X": box["Left"], "Y": box["Top"]}
            assert polygon[2] == pytest.approx(
                {"X": box["Left"] + box["Width"], "Y": box["Top"] + box["Height"]}
            )
    most = client.detect_custom_labels(
        ProjectVersionArn=detection["version"], Image={"Bytes": picture.png}, MaxResults=1, MinConfidence=0
    )["CustomLabels"]
    assert len(most) == 1


def test_a_stopped_version_is_not_ready_and_can_be_deleted(
    cluster: Server, detection: dict[str, Any]
) -> None:
    client = client_for(cluster)
    assert client.stop_project_version(ProjectVersionArn=detection["version"])["Status"] == "STOPPING"
    deadline = time.monotonic() + 60
    while describe(client, detection["project"], "v1")["Status"] != "STOPPED":
        assert time.monotonic() < deadline, "the version never stopped"
        time.sleep(0.5)
    with pytest.raises(client.exceptions.ResourceNotReadyException, match="STOPPED"):
        client.detect_custom_labels(
            ProjectVersionArn=detection["version"], Image={"Bytes": shapes.detection_set(1, seed=5)[0].png}
        )
    assert client.delete_project_version(ProjectVersionArn=detection["version"])["Status"] == "DELETING"
    assert (
        client.describe_project_versions(ProjectArn=detection["project"])["ProjectVersionDescriptions"] == []
    )
    assert client.delete_project(ProjectArn=detection["project"])["Status"] == "DELETING"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_project_versions(ProjectArn=detection["project"])


def test_classification_trains_from_image_level_labels(cluster: Server, datasets: dict[str, Any]) -> None:
    client = client_for(cluster)
    project = client.create_project(ProjectName="shapes")["ProjectArn"]
    version = client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "shapes-output"},
        TrainingData={"Assets": [asset("classify/train.manifest")]},
        TestingData={"Assets": [asset("classify/test.manifest")]},
    )["ProjectVersionArn"]
    elapsed = wait(client, "project_version_training_completed", project, "v1", TRAINING_WAIT)
    description = describe(client, project, "v1")
    print(f"classification: trained in {elapsed:.0f} s, F1 {description['EvaluationResult']['F1Score']:.3f}")
    assert description["EvaluationResult"]["F1Score"] > 0.8  # two balanced labels: chance is 0.5
    summary = s3_json(datasets["s3"], description["EvaluationResult"]["Summary"]["S3Object"])
    assert [label["Label"] for label in summary["LabelEvaluationResults"]] == ["circle", "square"]
    assert summary["EvaluationDetails"]["NumberOfTestingImages"] == 24
    client.start_project_version(ProjectVersionArn=version, MinInferenceUnits=1)
    wait(client, "project_version_running", project, "v1", RUNNING_WAIT)
    rng = np.random.default_rng(7)
    for label in ("square", "circle"):
        picture = shapes.classification_picture(rng, "new.png", label)
        found = client.detect_custom_labels(
            ProjectVersionArn=version, Image={"Bytes": picture.png}, MaxResults=1, MinConfidence=0
        )
        [top] = found["CustomLabels"]
        assert top["Name"] == label
        assert "Geometry" not in top
    client.stop_project_version(ProjectVersionArn=version)


def test_a_broken_manifest_fails_training_and_lists_the_bad_lines(
    cluster: Server, datasets: dict[str, Any]
) -> None:
    client = client_for(cluster)
    s3 = datasets["s3"]
    pictures = shapes.detection_set(3, seed=4, prefix="broken")
    good = [shapes.detection_line(DATA, picture) for picture in pictures]
    bad_class = json.loads(good[2])
    bad_class["bounding-box"]["annotations"][0]["class_id"] = 7
    lines = [
        good[0],
        '{"source-ref": "s3://x/y.png", ',
        json.dumps({"bounding-box": {}}),
        json.dumps(bad_class),
    ]
    s3.put_object(Bucket=DATA, Key="broken/train.manifest", Body=shapes.manifest(lines))
    project = client.create_project(ProjectName="broken")["ProjectArn"]
    client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "broken-output"},
        TrainingData={"Assets": [asset("broken/train.manifest")]},
        TestingData={"AutoCreate": True},
    )
    with pytest.raises(WaiterError, match="TRAINING_FAILED"):
        wait(client, "project_version_training_completed", project, "v1", TRAINING_WAIT)
    description = describe(client, project, "v1")
    assert description["Status"] == "TRAINING_FAILED"
    assert description["StatusMessage"].startswith(
        "The training manifest has 3 invalid line(s) of 4: line 2: ERROR_INVALID_JSON_LINE (not valid JSON: "
    )
    assert "line 3: ERROR_MISSING_SOURCE_REF (the line has no source-ref)" in description["StatusMessage"]
    assert (
        "line 4: ERROR_INVALID_CLASS_ID (bounding-box.annotations[0].class_id 7 is not in "
        "bounding-box-metadata.class-map)" in description["StatusMessage"]
    )
    validation = description["TrainingDataResult"]["Validation"]["Assets"][0]["GroundTruthManifest"]
    body = s3.get_object(Bucket=OUT, Key=validation["S3Object"]["Name"])["Body"].read().decode()
    assert [json.loads(line)["line"] for line in body.splitlines()] == [2, 3, 4]
    summary = s3_json(s3, description["ManifestSummary"]["S3Object"])
    assert summary["statistics"]["invalid_json_lines"] == 3


def test_paginators_walk_projects_and_versions(cluster: Server, datasets: dict[str, Any]) -> None:
    client = client_for(cluster)
    names = [f"page-{number}" for number in range(3)]
    arns = [client.create_project(ProjectName=name)["ProjectArn"] for name in names]
    pages = list(
        client.get_paginator("describe_projects").paginate(
            ProjectNames=names, PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(page["ProjectDescriptions"]) for page in pages] == [2, 1]
    assert [p["ProjectArn"] for page in pages for p in page["ProjectDescriptions"]] == arns
    assert {p["Status"] for page in pages for p in page["ProjectDescriptions"]} == {"CREATED"}
    for number in range(3):
        client.create_project_version(
            ProjectArn=arns[0],
            VersionName=f"v{number}",
            OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "pages"},
            TrainingData={"Assets": [asset("missing.manifest")]},
            TestingData={"AutoCreate": True},
        )
    versions = list(
        client.get_paginator("describe_project_versions").paginate(
            ProjectArn=arns[0], PaginationConfig={"PageSize": 2}
        )
    )
    assert [len(page["ProjectVersionDescriptions"]) for page in versions] == [2, 1]
    newest_first = [
        d["ProjectVersionArn"].split("/")[-2] for p in versions for d in p["ProjectVersionDescriptions"]
    ]
    assert newest_first == ["v2", "v1", "v0"]


def test_a_missing_manifest_fails_training(cluster: Server, datasets: dict[str, Any]) -> None:
    client = client_for(cluster)
    project = client.create_project(ProjectName="no-manifest")["ProjectArn"]
    client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "none"},
        TrainingData={"Assets": [asset("nowhere/train.manifest")]},
        TestingData={"AutoCreate": True},
    )
    with pytest.raises(WaiterError):
        wait(client, "project_version_training_completed", project, "v1", TRAINING_WAIT)
    assert describe(client, project, "v1")["StatusMessage"] == (
        f"The training manifest s3://{DATA}/nowhere/train.manifest does not exist"
    )


def test_unknown_arns_are_not_found(cluster: Server) -> None:
    client = client_for(cluster)
    missing = "arn:aws:rekognition:eu-west-1:111122223333:project/nothing/1"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_project_versions(ProjectArn=missing)
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.start_project_version(
            ProjectVersionArn="arn:aws:rekognition:eu-west-1:111122223333:project/nothing/version/v1/1",
            MinInferenceUnits=1,
        )


def test_duplicate_project_names_are_in_use(cluster: Server) -> None:
    client = client_for(cluster)
    client.create_project(ProjectName="twice")
    with pytest.raises(client.exceptions.ResourceInUseException, match="twice already exists"):
        client.create_project(ProjectName="twice")


def test_embedded_mode_keeps_projects(embedded: Server) -> None:
    client = client_for(embedded)
    arn = client.create_project(ProjectName="embedded-project")["ProjectArn"]
    [found] = client.describe_projects(ProjectNames=["embedded-project"])["ProjectDescriptions"]
    assert found["ProjectArn"] == arn
    assert client.delete_project(ProjectArn=arn)["Status"] == "DELETING"
    assert client.describe_projects(ProjectNames=["embedded-project"])["ProjectDescriptions"] == []


def version_row(cluster: Server, version: str) -> dict[str, Any]:
    engine = create_engine(cluster.env["ARGUS_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT status, attempts, epochs_done, weights_key "
                    "FROM custom_labels_versions WHERE arn = :a"
                ),
                {"a": version},
            ).one()
        return dict(row._mapping)
    finally:
        engine.dispose()


def test_training_survives_a_killed_training_worker_and_ends_once(
    cluster: Server, datasets: dict[str, Any], tmp_path: Path
) -> None:
    client = client_for(cluster)
    project = client.create_project(ProjectName="restart")["ProjectArn"]
    version = client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": OUT, "S3KeyPrefix": "restart"},
        TrainingData={"Assets": [asset("detect/train.manifest")]},
        TestingData={"AutoCreate": True},
    )["ProjectVersionArn"]
    deadline = time.monotonic() + 180
    while version_row(cluster, version)["epochs_done"] < 2:  # a checkpoint exists
        assert time.monotonic() < deadline, "training never wrote a checkpoint"
        time.sleep(0.5)
    name = "worker-video+training"
    os.killpg(cluster.processes[name].pid, signal.SIGKILL)
    cluster.processes[name].wait()
    worker_env = {**cluster.env, "ARGUS_WORKER_HEARTBEAT": str(tmp_path / f"{name}.heartbeat")}
    cluster.processes[name] = start(name, argus("worker", "--queues", "video,training"), worker_env, tmp_path)
    wait(client, "project_version_training_completed", project, "v1", TRAINING_WAIT)
    row = version_row(cluster, version)
    assert row["attempts"] == 2
    assert row["weights_key"] == "restart/restart/v1/model/attempt-2/weights.pt"
    time.sleep(3)  # a late duplicate would change nothing
    assert version_row(cluster, version) == row
