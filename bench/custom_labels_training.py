"""Custom Labels end to end on a fresh embedded Argus: training time, F1, and how the served model does.

Two generated datasets (tests/custom_labels/shapes.py): red squares with boxes next to a blue-circle
distractor (object detection, AutoCreate 80/20 split), and big squares vs circles (image-level
classification). Each is trained through boto3 exactly as an application would (CreateProjectVersion,
the ``project_version_training_completed`` waiter), started (``project_version_running``), and asked
about fresh images it never saw:

    .venv/bin/python bench/custom_labels_training.py [--images 100] [--epochs 40] [--image-size 96]

Prints the training wall time (Create -> TRAINING_COMPLETED), BillableTrainingTimeInSeconds, F1 from
the evaluation, then for detection the share of new squares found with IoU >= 0.5 and for
classification the accuracy on new images, with the DetectCustomLabels latency.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3
import numpy as np
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.custom_labels import shapes  # noqa: E402
from tests.e2e.servers import embedded_server  # noqa: E402

BUCKET = "bench"
POLL = {"Delay": 2, "MaxAttempts": 900}
NEW_IMAGES = 40


def iou(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    w = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    h = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    union = aw * ah + bw * bh - w * h
    return w * h / union if union else 0.0


def put(objects: Path, key: str, data: bytes) -> None:
    path = objects / BUCKET / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def train(
    client: Any, name: str, manifest: str, testing: dict[str, Any]
) -> tuple[str, dict[str, Any], float]:
    project = client.create_project(ProjectName=name)["ProjectArn"]
    started = time.monotonic()
    arn = client.create_project_version(
        ProjectArn=project,
        VersionName="v1",
        OutputConfig={"S3Bucket": BUCKET, "S3KeyPrefix": "output"},
        TrainingData={
            "Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": manifest}}}]
        },
        TestingData=testing,
    )["ProjectVersionArn"]
    client.get_waiter("project_version_training_completed").wait(
        ProjectArn=project, VersionNames=["v1"], WaiterConfig=POLL
    )
    wall = time.monotonic() - started
    [description] = client.describe_project_versions(ProjectArn=project, VersionNames=["v1"])[
        "ProjectVersionDescriptions"
    ]
    client.start_project_version(ProjectVersionArn=arn, MinInferenceUnits=1)
    client.get_waiter("project_version_running").wait(
        ProjectArn=project, VersionNames=["v1"], WaiterConfig=POLL
    )
    return arn, description, wall


def detect(client: Any, arn: str, png: bytes, latencies: list[float]) -> list[dict[str, Any]]:
    started = time.perf_counter()
    labels: list[dict[str, Any]] = client.detect_custom_labels(ProjectVersionArn=arn, Image={"Bytes": png})[
        "CustomLabels"
    ]
    latencies.append(time.perf_counter() - started)
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--images", type=int, default=100, help="training images per dataset")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--image-size", type=int, default=96)
    args = parser.parse_args()
    knobs = {
        "ARGUS_TRAINING__EPOCHS": str(args.epochs),
        "ARGUS_TRAINING__IMAGE_SIZE": str(args.image_size),
    }
    with tempfile.TemporaryDirectory() as tmp, embedded_server(Path(tmp), knobs) as server:
        assert server.data_dir is not None
        objects = server.data_dir / "objects"
        client = boto3.client(
            "rekognition",
            endpoint_url=server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=server.access_key_id,
            aws_secret_access_key=server.secret_access_key,
            config=Config(retries={"max_attempts": 1}),
        )
        print(f"{args.images} training images per dataset, {args.epochs} epochs at {args.image_size} px\n")

        # Object detection: boxes of red squares, AutoCreate split.
        pictures = shapes.detection_set(args.images, seed=1)
        for picture in pictures:
            put(objects, picture.key, picture.png)
        put(objects, "detect.manifest", shapes.manifest([shapes.detection_line(BUCKET, p) for p in pictures]))
        arn, description, wall = train(client, "bench-detect", "detect.manifest", {"AutoCreate": True})
        latencies: list[float] = []
        found = total = 0
        for picture in shapes.detection_set(NEW_IMAGES, seed=99, prefix="new"):
            boxes = [
                (
                    label["Geometry"]["BoundingBox"]["Left"] * shapes.SIZE,
                    label["Geometry"]["BoundingBox"]["Top"] * shapes.SIZE,
                    label["Geometry"]["BoundingBox"]["Width"] * shapes.SIZE,
                    label["Geometry"]["BoundingBox"]["Height"] * shapes.SIZE,
                )
                for label in detect(client, arn, picture.png, latencies)
                if "Geometry" in label
            ]
            for truth in picture.boxes:
                total += 1
                found += any(iou(tuple(map(float, truth)), box) >= 0.5 for box in boxes)  # type: ignore[arg-type]
        report("detection", description, wall, f"squares found (IoU >= 0.5): {found}/{total}", latencies)

        # Classification: image-level labels, a separate testing manifest.
        train_set = shapes.classification_set(args.images, seed=2)
        test_set = shapes.classification_set(max(10, args.images // 4), seed=3, prefix="classify-test")
        for picture in train_set + test_set:
            put(objects, picture.key, picture.png)
        put(
            objects,
            "classify.manifest",
            shapes.manifest([shapes.classification_line(BUCKET, p) for p in train_set]),
        )
        put(
            objects,
            "classify-test.manifest",
            shapes.manifest([shapes.classification_line(BUCKET, p) for p in test_set]),
        )
        testing = {
            "Assets": [
                {"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "classify-test.manifest"}}}
            ]
        }
        arn, description, wall = train(client, "bench-classify", "classify.manifest", testing)
        latencies = []
        right = 0
        new = shapes.classification_set(NEW_IMAGES, seed=98, prefix="classify-new")
        for picture in new:
            labels = detect(client, arn, picture.png, latencies)
            best = max(labels, key=lambda label: label["Confidence"])["Name"] if labels else None
            right += best == picture.label
        report("classification", description, wall, f"accuracy on new images: {right}/{len(new)}", latencies)


def report(kind: str, description: dict[str, Any], wall: float, quality: str, latencies: list[float]) -> None:
    f1 = description["EvaluationResult"]["F1Score"]
    billable = description["BillableTrainingTimeInSeconds"]
    p50 = statistics.median(latencies) * 1000
    p90 = float(np.percentile(latencies, 90)) * 1000
    print(
        f"{kind:15s} training {wall:6.1f} s wall (billable {billable} s), "
        f"F1 {f1:.3f}; {quality}; DetectCustomLabels p50 {p50:.0f} ms, p90 {p90:.0f} ms"
    )


if __name__ == "__main__":
    main()
