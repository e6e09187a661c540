"""The AWS JSON 1.1 protocol as boto3 and the AWS CLI see it: routing, errors, authentication."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import httpx
import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import REGION, client_for
from tests.e2e.servers import Server

THE_48 = [
    "CompareFaces",
    "CreateCollection",
    "CreateProject",
    "CreateProjectVersion",
    "CreateStreamProcessor",
    "DeleteCollection",
    "DeleteFaces",
    "DeleteProject",
    "DeleteProjectVersion",
    "DeleteStreamProcessor",
    "DescribeCollection",
    "DescribeProjectVersions",
    "DescribeProjects",
    "DescribeStreamProcessor",
    "DetectCustomLabels",
    "DetectFaces",
    "DetectLabels",
    "DetectModerationLabels",
    "DetectProtectiveEquipment",
    "DetectText",
    "GetCelebrityInfo",
    "GetCelebrityRecognition",
    "GetContentModeration",
    "GetFaceDetection",
    "GetFaceSearch",
    "GetLabelDetection",
    "GetPersonTracking",
    "GetSegmentDetection",
    "GetTextDetection",
    "IndexFaces",
    "ListCollections",
    "ListFaces",
    "ListStreamProcessors",
    "RecognizeCelebrities",
    "SearchFaces",
    "SearchFacesByImage",
    "StartCelebrityRecognition",
    "StartContentModeration",
    "StartFaceDetection",
    "StartFaceSearch",
    "StartLabelDetection",
    "StartPersonTracking",
    "StartProjectVersion",
    "StartSegmentDetection",
    "StartStreamProcessor",
    "StartTextDetection",
    "StopProjectVersion",
    "StopStreamProcessor",
]
BUILT = {
    "CompareFaces",
    "CreateCollection",
    "CreateProject",
    "CreateProjectVersion",
    "DeleteCollection",
    "DeleteFaces",
    "DeleteProject",
    "DeleteProjectVersion",
    "DescribeCollection",
    "DescribeProjectVersions",
    "DescribeProjects",
    "DetectCustomLabels",
    "DetectFaces",
    "DetectLabels",
    "DetectModerationLabels",
    "DetectProtectiveEquipment",
    "DetectText",
    "GetCelebrityInfo",
    "GetCelebrityRecognition",
    "GetContentModeration",
    "GetFaceDetection",
    "GetFaceSearch",
    "GetLabelDetection",
    "GetPersonTracking",
    "GetSegmentDetection",
    "GetTextDetection",
    "IndexFaces",
    "ListCollections",
    "ListFaces",
    "RecognizeCelebrities",
    "SearchFaces",
    "SearchFacesByImage",
    "StartCelebrityRecognition",
    "StartContentModeration",
    "StartFaceDetection",
    "StartFaceSearch",
    "StartLabelDetection",
    "StartPersonTracking",
    "StartProjectVersion",
    "StartSegmentDetection",
    "StartTextDetection",
    "StopProjectVersion",
}


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


@pytest.mark.parametrize("operation", sorted(set(THE_48) - BUILT))
def test_operation_not_built_yet_answers_501(embedded: Server, operation: str) -> None:
    client = client_for(embedded, parameter_validation=False)
    with pytest.raises(ClientError) as raised:
        getattr(client, snake(operation))()
    error = raised.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error["Error"]["Code"] == "NotImplemented"
    assert error["Error"]["Message"] == (
        f"{operation} is part of the Rekognition API but Argus does not implement it yet"
    )


@pytest.mark.parametrize("operation", sorted(BUILT - {"ListCollections", "DescribeProjects"}))
def test_built_operation_validates_its_required_members(embedded: Server, operation: str) -> None:
    client = client_for(embedded, parameter_validation=False)
    with pytest.raises(ClientError) as raised:
        getattr(client, snake(operation))()
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert (
        "failed to satisfy constraint: Member must not be null" in raised.value.response["Error"]["Message"]
    )


def signed_post(server: Server, target: str, body: bytes) -> httpx.Response:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(
        method="POST",
        url=server.endpoint + "/",
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target},
    )
    SigV4Auth(Credentials(server.access_key_id, server.secret_access_key), "rekognition", REGION).add_auth(
        request
    )
    return httpx.post(server.endpoint + "/", content=body, headers=dict(request.headers.items()))


def test_unknown_operation_is_refused(embedded: Server) -> None:
    response = signed_post(embedded, "RekognitionService.MakeCoffee", b"{}")
    assert response.status_code == 400
    assert response.json() == {
        "__type": "UnknownOperationException",
        "message": "Unknown operation MakeCoffee",
    }


def test_malformed_json_is_a_serialization_error(embedded: Server) -> None:
    response = signed_post(embedded, "RekognitionService.ListCollections", b"{not json")
    assert response.status_code == 400
    assert response.json()["__type"] == "SerializationException"


def test_every_response_carries_a_request_id(rekognition: Any) -> None:
    response = rekognition.list_collections()
    request_id = response["ResponseMetadata"]["RequestId"]
    assert len(request_id) == 36
    with pytest.raises(ClientError) as raised:
        rekognition.describe_collection(CollectionId="does-not-exist-anywhere")
    assert len(raised.value.response["ResponseMetadata"]["RequestId"]) == 36


def test_wrong_secret_is_an_invalid_signature(server: Server) -> None:
    client = client_for(server)
    client._request_signer._credentials.secret_key = "wrong" + server.secret_access_key
    with pytest.raises(ClientError) as raised:
        client.list_collections()
    assert raised.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unknown_key_is_an_unrecognized_client(server: Server) -> None:
    client = client_for(server)
    client._request_signer._credentials.access_key = "AKIAUNKNOWNKEY000000"
    with pytest.raises(ClientError) as raised:
        client.list_collections()
    assert raised.value.response["Error"]["Code"] == "UnrecognizedClientException"


def test_stale_signature_is_refused(embedded: Server) -> None:
    client = client_for(embedded)
    twenty_minutes_ago = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=20)
    with (
        mock.patch("botocore.auth.get_current_datetime", return_value=twenty_minutes_ago),
        pytest.raises(ClientError) as raised,
    ):
        client.list_collections()
    assert raised.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert raised.value.response["Error"]["Message"].startswith("Signature expired")


def test_unsigned_request_is_missing_a_token(embedded: Server) -> None:
    response = httpx.post(
        embedded.endpoint + "/",
        content=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "RekognitionService.ListCollections",
        },
    )
    assert response.status_code == 403
    assert response.json()["__type"] == "MissingAuthenticationTokenException"
    assert response.headers["x-amzn-RequestId"]


def test_out_of_range_number_is_a_validation_error_naming_the_member(raw_rekognition: Any) -> None:
    with pytest.raises(ClientError) as raised:
        raw_rekognition.list_collections(MaxResults=5000)
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '5000' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 4096"
    )


def test_bad_collection_name_is_a_validation_error(raw_rekognition: Any) -> None:
    with pytest.raises(ClientError) as raised:
        raw_rekognition.create_collection(CollectionId="no spaces allowed")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "'collectionId'" in raised.value.response["Error"]["Message"]


def test_bad_enum_is_a_validation_error(raw_rekognition: Any, astronaut_jpeg: bytes) -> None:
    with pytest.raises(ClientError) as raised:
        raw_rekognition.detect_faces(Image={"Bytes": astronaut_jpeg}, Attributes=["BOGUS"])
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert "enum value set" in raised.value.response["Error"]["Message"]


def test_wrong_type_names_the_member(raw_rekognition: Any) -> None:
    with pytest.raises(ClientError) as raised:
        raw_rekognition.list_collections(MaxResults="ten")
    assert raised.value.response["Error"]["Code"] in {"SerializationException", "ValidationException"}
    assert "maxResults" in raised.value.response["Error"]["Message"]


def test_aws_cli_lists_collections(server: Server) -> None:
    env = {
        **server.env,
        "AWS_ACCESS_KEY_ID": server.access_key_id,
        "AWS_SECRET_ACCESS_KEY": server.secret_access_key,
        "AWS_DEFAULT_REGION": REGION,
    }
    env.pop("AWS_PROFILE", None)
    client_for(server).create_collection(CollectionId="cli-visible")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "awscli",
            "rekognition",
            "list-collections",
            "--endpoint-url",
            server.endpoint,
            "--output",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "cli-visible" in json.loads(result.stdout)["CollectionIds"]
