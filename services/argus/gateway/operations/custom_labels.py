"""Custom Labels: projects, project versions and DetectCustomLabels (issue #6).

Projects and versions live in the database; CreateProjectVersion enqueues training on the
``training`` queue; Start/StopProjectVersion only move the status, and the image workers act on it
(:mod:`argus.custom_labels.replicas`). DetectCustomLabels runs on the image workers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from argus.core.db.models.base import utcnow
from argus.core.db.models.custom_labels import CustomLabelsProject, CustomLabelsVersion
from argus.core.errors import InvalidParameterException, ResourceInUseException, ResourceNotReadyException
from argus.core.storage import ObjectRef
from argus.custom_labels import repository
from argus.custom_labels.arns import project_arn, version_arn
from argus.custom_labels.states import ProjectStatus, VersionStatus, check_move
from argus.gateway.operations.context import Handler, RequestContext
from argus.gateway.operations.images import run_on_image_workers
from argus.gateway.operations.pagination import decode_token, encode_token
from argus.workers.training.tasks import enqueue_training

FEATURE = "CUSTOM_LABELS"
DEFAULT_PAGE = 100
TRAINING_MESSAGE = "The model is being trained."
DELETABLE = (
    VersionStatus.TRAINING_COMPLETED,
    VersionStatus.TRAINING_FAILED,
    VersionStatus.FAILED,
    VersionStatus.STOPPED,
)


def create_project(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    name = params["ProjectName"]
    feature = params.get("Feature", FEATURE)
    if feature != FEATURE:
        raise InvalidParameterException(f"Feature {feature} is not supported; Argus projects are {FEATURE}")
    created = utcnow()
    arn = project_arn(ctx.region, ctx.account_id, name, created)
    try:
        with ctx.state.db.session() as session:
            session.add(
                CustomLabelsProject(
                    account_id=ctx.account_id,
                    name=name,
                    arn=arn,
                    status=ProjectStatus.CREATED.value,
                    auto_update=params.get("AutoUpdate", "DISABLED"),
                    tags=dict(params.get("Tags") or {}),
                    created_at=created,
                )
            )
    except IntegrityError as exists:
        raise ResourceInUseException(f"A project named {name} already exists") from exists
    return {"ProjectArn": arn}


def _project(project: CustomLabelsProject) -> dict[str, Any]:
    return {
        "ProjectArn": project.arn,
        "CreationTimestamp": project.created_at,
        "Status": project.status,
        "Feature": FEATURE,
        "AutoUpdate": project.auto_update,
    }


def describe_projects(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults") or DEFAULT_PAGE
    after = decode_token("DescribeProjects", params.get("NextToken"))
    features = params.get("Features")
    with ctx.state.db.session() as session:
        rows = (
            []
            if features is not None and FEATURE not in features
            else repository.list_projects(session, ctx.account_id, params.get("ProjectNames"), after, limit)
        )
        page = [_project(project) for project in rows[:limit]]
    response: dict[str, Any] = {"ProjectDescriptions": page}
    if len(rows) > limit:
        response["NextToken"] = encode_token("DescribeProjects", rows[limit - 1].name)
    return response


def delete_project(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        project = repository.find_project(session, ctx.account_id, params["ProjectArn"])
        versions = repository.count_versions(session, project.pk)
        if versions:
            raise ResourceInUseException(
                f"The project {project.name} has {versions} version(s); delete them first"
            )
        session.delete(project)
    return {"Status": ProjectStatus.DELETING.value}


def _check_training_input(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    training = dict(params.get("TrainingData") or {})
    testing = dict(params.get("TestingData") or {})
    if not training.get("Assets"):
        raise InvalidParameterException(
            "TrainingData.Assets must name at least one Ground Truth manifest (Argus has no project datasets)"
        )
    if testing.get("AutoCreate") and testing.get("Assets"):
        raise InvalidParameterException("TestingData takes either Assets or AutoCreate, not both")
    if not testing.get("AutoCreate") and not testing.get("Assets"):
        raise InvalidParameterException("TestingData needs Assets or AutoCreate=true")
    for asset in [*training["Assets"], *(testing.get("Assets") or [])]:
        s3 = (asset.get("GroundTruthManifest") or {}).get("S3Object") or {}
        if not s3.get("Bucket") or not s3.get("Name"):
            raise InvalidParameterException("Each asset needs GroundTruthManifest.S3Object Bucket and Name")
    return training, testing


def create_project_version(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    training, testing = _check_training_input(params)
    output = dict(params["OutputConfig"])
    if not output.get("S3Bucket"):
        raise InvalidParameterException("OutputConfig.S3Bucket is required")
    name = params["VersionName"]
    created = utcnow()
    try:
        with ctx.state.db.session() as session:
            project = repository.find_project(session, ctx.account_id, params["ProjectArn"])
            version = CustomLabelsVersion(
                project_pk=project.pk,
                account_id=ctx.account_id,
                name=name,
                arn=version_arn(project.arn, name, created),
                description=params.get("VersionDescription"),
                status=VersionStatus.TRAINING_IN_PROGRESS.value,
                status_message=TRAINING_MESSAGE,
                created_at=created,
                output_config=output,
                training_data=training,
                testing_data=testing,
                tags=dict(params.get("Tags") or {}),
                labels=[],
                thresholds={},
                results={},
                attempts=0,
                epochs_done=0,
            )
            session.add(version)
            session.flush()
            pk, arn = version.pk, version.arn
    except IntegrityError as exists:
        raise ResourceInUseException(f"The project already has a version named {name}") from exists
    enqueue_training(ctx.state.celery, pk)
    return {"ProjectVersionArn": arn}


def _version(version: CustomLabelsVersion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ProjectVersionArn": version.arn,
        "CreationTimestamp": version.created_at,
        "Status": version.status,
        "StatusMessage": version.status_message or "",
        "OutputConfig": version.output_config,
        "Feature": FEATURE,
    }
    optional = {
        "MinInferenceUnits": version.min_inference_units,
        "MaxInferenceUnits": version.max_inference_units,
        "BillableTrainingTimeInSeconds": version.billable_training_s,
        "TrainingEndTimestamp": version.training_ended_at,
        "VersionDescription": version.description,
    }
    out.update({key: value for key, value in optional.items() if value is not None})
    out.update(version.results or {})
    return out


def describe_project_versions(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults") or DEFAULT_PAGE
    token = decode_token("DescribeProjectVersions", params.get("NextToken"))
    before = int(token) if token is not None and token.isdigit() else None
    with ctx.state.db.session() as session:
        project = repository.find_project(session, ctx.account_id, params["ProjectArn"])
        rows = repository.list_versions(session, project.pk, params.get("VersionNames"), before, limit)
        page = [_version(version) for version in rows[:limit]]
    response: dict[str, Any] = {"ProjectVersionDescriptions": page}
    if len(rows) > limit:
        response["NextToken"] = encode_token("DescribeProjectVersions", str(rows[limit - 1].pk))
    return response


def _move(ctx: RequestContext, arn: str, target: VersionStatus, **values: Any) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        version = repository.find_version(session, ctx.account_id, arn)
        check_move(version.status, target, version.name)
        if not repository.move(session, version.pk, [version.status], target, **values):
            raise ResourceInUseException(f"Project version {version.name} changed status meanwhile; retry")
    return {"Status": target.value}


def start_project_version(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    units = int(params["MinInferenceUnits"])
    maximum = params.get("MaxInferenceUnits")
    if units < 1 or (maximum is not None and int(maximum) < units):
        raise InvalidParameterException("MinInferenceUnits must be >= 1 and <= MaxInferenceUnits")
    return _move(
        ctx,
        params["ProjectVersionArn"],
        VersionStatus.STARTING,
        min_inference_units=units,
        max_inference_units=maximum,
        status_message="The model is being started.",
    )


def stop_project_version(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    return _move(
        ctx, params["ProjectVersionArn"], VersionStatus.STOPPING, status_message="The model is being stopped."
    )


def delete_project_version(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        version = repository.find_version(session, ctx.account_id, params["ProjectVersionArn"])
        if version.status not in DELETABLE:
            raise ResourceInUseException(
                f"Project version {version.name} is {version.status}; stop it (or let training end) first"
            )
        bucket, weights = str(version.output_config.get("S3Bucket", "")), version.weights_key
        session.delete(version)
    if weights:
        with contextlib.suppress(Exception):  # the user's bucket: the weights may already be gone
            ctx.state.store.delete(ObjectRef(bucket, weights))
    return {"Status": VersionStatus.DELETING.value}


def detect_custom_labels(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        version = repository.find_version(session, ctx.account_id, params["ProjectVersionArn"])
        if version.status != VersionStatus.RUNNING:
            raise ResourceNotReadyException(
                f"ProjectVersion {version.arn} is {version.status}, not RUNNING: start it with "
                "StartProjectVersion"
            )
    return run_on_image_workers(ctx, params)


HANDLERS: dict[str, Handler] = {
    "CreateProject": create_project,
    "DescribeProjects": describe_projects,
    "DeleteProject": delete_project,
    "CreateProjectVersion": create_project_version,
    "DescribeProjectVersions": describe_project_versions,
    "StartProjectVersion": start_project_version,
    "StopProjectVersion": stop_project_version,
    "DeleteProjectVersion": delete_project_version,
    "DetectCustomLabels": detect_custom_labels,
}
