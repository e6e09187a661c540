"""Custom Labels handlers on a real SQLite database, object store and embedded (filesystem) queue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from argus.core.config import Settings
from argus.core.db.engine import Database
from argus.core.db.migrate import upgrade
from argus.core.errors import (
    InvalidPaginationTokenException,
    InvalidParameterException,
    ResourceInUseException,
    ResourceNotFoundException,
    ResourceNotReadyException,
)
from argus.core.storage import LocalObjectStore
from argus.gateway.operations import custom_labels as ops
from argus.gateway.operations.context import RequestContext
from argus.workers.celery_app import make_celery
from argus.workers.training.tasks import TRAIN_TASK

ACCOUNT = "111122223333"
TRAINING = {"Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": "data", "Name": "train.manifest"}}}]}
OUTPUT = {"S3Bucket": "out", "S3KeyPrefix": "runs"}


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[RequestContext]:
    settings = Settings(mode="embedded", data_dir=tmp_path)  # type: ignore[call-arg]
    upgrade(settings.effective_database_url)
    db = Database(settings.effective_database_url)
    state = SimpleNamespace(
        db=db, celery=make_celery(settings), store=LocalObjectStore(tmp_path / "objects"), settings=settings
    )
    yield RequestContext("req-1", "Op", ACCOUNT, "eu-west-1", state)  # type: ignore[arg-type]
    db.dispose()


def new_version(ctx: RequestContext, project: str, name: str = "v1", **extra: Any) -> str:
    params = {
        "ProjectArn": project,
        "VersionName": name,
        "OutputConfig": OUTPUT,
        "TrainingData": TRAINING,
        "TestingData": {"AutoCreate": True},
        **extra,
    }
    return str(ops.create_project_version(ctx, params)["ProjectVersionArn"])


def set_status(ctx: RequestContext, arn: str, status: str) -> None:
    from argus.custom_labels import repository

    with ctx.state.db.session() as session:
        repository.find_version(session, ACCOUNT, arn).status = status


def test_create_project_answers_its_arn(ctx: RequestContext) -> None:
    arn = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    assert arn.startswith(f"arn:aws:rekognition:eu-west-1:{ACCOUNT}:project/shapes/")
    assert arn.rsplit("/", 1)[1].isdigit()


def test_a_project_name_is_taken_once(ctx: RequestContext) -> None:
    ops.create_project(ctx, {"ProjectName": "shapes"})
    with pytest.raises(ResourceInUseException, match="A project named shapes already exists"):
        ops.create_project(ctx, {"ProjectName": "shapes"})


def test_only_custom_labels_projects(ctx: RequestContext) -> None:
    with pytest.raises(InvalidParameterException, match="CONTENT_MODERATION is not supported"):
        ops.create_project(ctx, {"ProjectName": "m", "Feature": "CONTENT_MODERATION"})


def test_describe_projects_pages_by_name(ctx: RequestContext) -> None:
    for name in ("c", "a", "b"):
        ops.create_project(ctx, {"ProjectName": name})
    first = ops.describe_projects(ctx, {"MaxResults": 2})
    assert [p["ProjectArn"].split("/")[1] for p in first["ProjectDescriptions"]] == ["a", "b"]
    second = ops.describe_projects(ctx, {"MaxResults": 2, "NextToken": first["NextToken"]})
    assert [p["ProjectArn"].split("/")[1] for p in second["ProjectDescriptions"]] == ["c"]
    assert "NextToken" not in second
    assert second["ProjectDescriptions"][0]["Status"] == "CREATED"
    assert ops.describe_projects(ctx, {"Features": ["CONTENT_MODERATION"]}) == {"ProjectDescriptions": []}
    with pytest.raises(InvalidPaginationTokenException):
        ops.describe_projects(ctx, {"NextToken": "forged"})


def test_create_project_version_queues_training(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    arn = new_version(ctx, project)
    assert arn == project.rsplit("/", 1)[0] + "/version/v1/" + arn.rsplit("/", 1)[1]
    with ctx.state.celery.connection_for_read() as connection:
        message = connection.SimpleQueue("training").get(timeout=5)
        assert message.headers["task"] == TRAIN_TASK
        message.ack()
    [description] = ops.describe_project_versions(ctx, {"ProjectArn": project})["ProjectVersionDescriptions"]
    assert description["Status"] == "TRAINING_IN_PROGRESS"
    assert description["StatusMessage"] == "The model is being trained."
    assert description["OutputConfig"] == OUTPUT


@pytest.mark.parametrize(
    ("training", "testing", "message"),
    [
        ({}, {"AutoCreate": True}, "TrainingData.Assets must name at least one"),
        (TRAINING, {}, "TestingData needs Assets or AutoCreate=true"),
        (TRAINING, {"AutoCreate": True, **TRAINING}, "either Assets or AutoCreate, not both"),
        (
            {"Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": "b"}}}]},
            {"AutoCreate": True},
            "Bucket and",
        ),
    ],
)
def test_training_input_is_checked(
    ctx: RequestContext, training: dict[str, Any], testing: dict[str, Any], message: str
) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    with pytest.raises(InvalidParameterException, match=message):
        new_version(ctx, project, TrainingData=training, TestingData=testing)


def test_versions_are_unique_per_project(ctx: RequestContext) -> None:
    first = ops.create_project(ctx, {"ProjectName": "one"})["ProjectArn"]
    second = ops.create_project(ctx, {"ProjectName": "two"})["ProjectArn"]
    new_version(ctx, first)
    new_version(ctx, second)  # the same name in another project
    with pytest.raises(ResourceInUseException, match="already has a version named v1"):
        new_version(ctx, first)


def test_version_descriptions_are_newest_first_and_paged(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    for name in ("v1", "v2", "v3"):
        new_version(ctx, project, name)
    first = ops.describe_project_versions(ctx, {"ProjectArn": project, "MaxResults": 2})
    second = ops.describe_project_versions(
        ctx, {"ProjectArn": project, "MaxResults": 2, "NextToken": first["NextToken"]}
    )
    names = [
        d["ProjectVersionArn"].split("/")[-2]
        for page in (first, second)
        for d in page["ProjectVersionDescriptions"]
    ]
    assert names == ["v3", "v2", "v1"]
    only = ops.describe_project_versions(ctx, {"ProjectArn": project, "VersionNames": ["v2"]})
    assert [d["ProjectVersionArn"].split("/")[-2] for d in only["ProjectVersionDescriptions"]] == ["v2"]


def test_a_project_with_versions_is_in_use(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    new_version(ctx, project)
    with pytest.raises(ResourceInUseException, match="has 1 version"):
        ops.delete_project(ctx, {"ProjectArn": project})


def test_a_deleted_project_is_gone(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    assert ops.delete_project(ctx, {"ProjectArn": project}) == {"Status": "DELETING"}
    with pytest.raises(ResourceNotFoundException):
        ops.delete_project(ctx, {"ProjectArn": project})


def test_start_stop_delete_follow_the_life_cycle(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    arn = new_version(ctx, project)
    with pytest.raises(ResourceInUseException, match="is TRAINING_IN_PROGRESS and cannot be started"):
        ops.start_project_version(ctx, {"ProjectVersionArn": arn, "MinInferenceUnits": 1})
    with pytest.raises(ResourceInUseException, match="TRAINING_IN_PROGRESS; stop it"):
        ops.delete_project_version(ctx, {"ProjectVersionArn": arn})
    set_status(ctx, arn, "TRAINING_COMPLETED")
    assert ops.start_project_version(ctx, {"ProjectVersionArn": arn, "MinInferenceUnits": 2}) == {
        "Status": "STARTING"
    }
    [description] = ops.describe_project_versions(ctx, {"ProjectArn": project})["ProjectVersionDescriptions"]
    assert (description["Status"], description["MinInferenceUnits"]) == ("STARTING", 2)
    with pytest.raises(ResourceInUseException, match="is STARTING; stop it"):
        ops.delete_project_version(ctx, {"ProjectVersionArn": arn})
    assert ops.stop_project_version(ctx, {"ProjectVersionArn": arn}) == {"Status": "STOPPING"}
    set_status(ctx, arn, "STOPPED")
    assert ops.delete_project_version(ctx, {"ProjectVersionArn": arn}) == {"Status": "DELETING"}
    with pytest.raises(ResourceNotFoundException):
        ops.stop_project_version(ctx, {"ProjectVersionArn": arn})


def test_min_inference_units_must_be_positive(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    arn = new_version(ctx, project)
    set_status(ctx, arn, "TRAINING_COMPLETED")
    with pytest.raises(InvalidParameterException, match="MinInferenceUnits must be >= 1"):
        ops.start_project_version(
            ctx, {"ProjectVersionArn": arn, "MinInferenceUnits": 2, "MaxInferenceUnits": 1}
        )


def test_detect_needs_a_running_version(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    arn = new_version(ctx, project)
    with pytest.raises(ResourceNotReadyException, match="is TRAINING_IN_PROGRESS, not RUNNING"):
        ops.detect_custom_labels(ctx, {"ProjectVersionArn": arn, "Image": {"Bytes": b"x"}})


def test_another_accounts_versions_are_not_found(ctx: RequestContext) -> None:
    project = ops.create_project(ctx, {"ProjectName": "shapes"})["ProjectArn"]
    other = RequestContext("req-2", "Op", "999999999999", "eu-west-1", ctx.state)
    with pytest.raises(ResourceNotFoundException):
        ops.describe_project_versions(other, {"ProjectArn": project})
