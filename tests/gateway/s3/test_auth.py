"""The S3 endpoint checks SigV4 like the Rekognition endpoint and answers in S3's XML errors."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ElementTree
from typing import Any

import boto3
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.gateway.s3.conftest import ACCESS_KEY, REGION, SECRET_KEY, Gateway, s3_client


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_a_wrong_secret_is_signature_does_not_match(gateway: Gateway, bucket: str) -> None:
    with pytest.raises(ClientError) as error:
        s3_client(gateway, secret="not-the-secret").put_object(Bucket=bucket, Key="k", Body=b"x")
    assert _code(error) == "SignatureDoesNotMatch"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_an_unknown_access_key_is_invalid_access_key_id(gateway: Gateway) -> None:
    with pytest.raises(ClientError) as error:
        s3_client(gateway, access_key="AKIAUNKNOWNKEY000000").list_buckets()
    assert _code(error) == "InvalidAccessKeyId"


def test_an_unsigned_request_is_access_denied_in_s3_xml(gateway: Gateway) -> None:
    response = httpx.get(gateway.endpoint)
    assert response.status_code == 403
    root = ElementTree.fromstring(response.content)
    assert (root.tag, root.findtext("Code"), root.findtext("Resource")) == ("Error", "AccessDenied", "/s3")
    assert root.findtext("RequestId") == response.headers["x-amz-request-id"]


def test_a_signature_scoped_to_rekognition_is_refused(gateway: Gateway) -> None:
    request = AWSRequest(
        method="GET", url=gateway.endpoint, headers={"X-Amz-Content-SHA256": hashlib.sha256().hexdigest()}
    )
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "rekognition", REGION).add_auth(request)
    response = httpx.get(gateway.endpoint, headers=dict(request.headers.items()))
    assert response.status_code == 400
    assert ElementTree.fromstring(response.content).findtext("Code") == "AuthorizationHeaderMalformed"


def test_a_body_that_differs_from_its_signed_sha256_is_refused_and_not_stored(s3: Any, bucket: str) -> None:
    def swap_body(request: Any, **_: Any) -> None:
        request.body = b"tampered"  # same length as the signed body, other bytes

    s3.meta.events.register("before-send.s3.PutObject", swap_body)
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket=bucket, Key="k", Body=b"original")
    assert _code(error) == "XAmzContentSHA256Mismatch"
    s3.meta.events.unregister("before-send.s3.PutObject", swap_body)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_a_content_md5_that_does_not_match_is_bad_digest(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket=bucket, Key="k", Body=b"abc", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
    assert _code(error) == "BadDigest"


def test_the_rekognition_endpoint_is_unchanged_beside_it(gateway: Gateway) -> None:
    rekognition = boto3.client(
        "rekognition",
        endpoint_url=gateway.endpoint.removesuffix("/s3"),
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    assert rekognition.list_collections()["CollectionIds"] == []
