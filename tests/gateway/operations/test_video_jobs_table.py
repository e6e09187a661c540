"""The job-kind table agrees with botocore's Rekognition model: operations, list keys, SortBy."""

from __future__ import annotations

import botocore.session
import pytest

from argus.gateway.operations import video_jobs
from argus.gateway.operations.table import HANDLERS
from argus.jobs.kinds import KINDS, JobKind

MODEL = botocore.session.get_session().get_service_model("rekognition")


def test_there_are_eight_kinds_and_sixteen_operations() -> None:
    assert len(KINDS) == 8
    assert len(video_jobs.HANDLERS) == 16
    assert set(video_jobs.HANDLERS) <= set(HANDLERS)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_both_operations_exist_in_the_service_model(kind: JobKind) -> None:
    assert kind.start_operation in MODEL.operation_names
    assert kind.get_operation in MODEL.operation_names


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_the_list_key_is_the_get_response_list(kind: JobKind) -> None:
    member = MODEL.operation_model(kind.get_operation).output_shape.members[kind.list_key]
    assert member.type_name == "list"


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_sort_by_values_are_the_ones_the_model_allows(kind: JobKind) -> None:
    members = MODEL.operation_model(kind.get_operation).input_shape.members
    allowed = tuple(members["SortBy"].enum) if "SortBy" in members else ()
    assert sorted(kind.sort_by) == sorted(allowed)


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_model_version_members_exist(kind: JobKind) -> None:
    output = MODEL.operation_model(kind.get_operation).output_shape.members
    if kind.model_version:
        assert kind.model_version in output
    assert ("GetRequestMetadata" in output) == kind.request_metadata
