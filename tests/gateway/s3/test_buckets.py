"""Buckets over the embedded S3 endpoint: create, list, head, delete, S3's names and errors."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.gateway.s3.conftest import Gateway


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_a_created_bucket_is_a_folder_of_the_object_store_and_is_listed(s3: Any, gateway: Gateway) -> None:
    s3.create_bucket(Bucket="media-listed", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert (gateway.data_dir / "objects" / "media-listed").is_dir()
    listed = s3.list_buckets()
    assert "media-listed" in [bucket["Name"] for bucket in listed["Buckets"]]
    assert listed["Owner"]["ID"] == "000000000000"


def test_argus_own_bucket_is_neither_listed_nor_served(s3: Any) -> None:
    assert "argus" not in [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
    with pytest.raises(ClientError) as error:
        s3.list_objects_v2(Bucket="argus")
    assert _code(error) == "AccessDenied"


def test_creating_a_bucket_twice_is_bucket_already_owned_by_you(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as error:
        s3.create_bucket(Bucket=bucket)
    assert _code(error) == "BucketAlreadyOwnedByYou"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


@pytest.mark.parametrize(
    "name", ["ab", "Upper-case", "under_score", "192.168.1.10", "dots..dots", "-leading"]
)
def test_bucket_names_follow_s3_rules(s3: Any, name: str) -> None:
    with pytest.raises(ClientError) as error:
        s3.create_bucket(Bucket=name)
    assert _code(error) == "InvalidBucketName"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_head_bucket_answers_200_for_an_existing_bucket_and_404_otherwise(s3: Any, bucket: str) -> None:
    assert s3.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as error:
        s3.head_bucket(Bucket="no-such-bucket-here")
    assert _code(error) == "404"


def test_a_bucket_with_objects_is_not_deleted(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="deep/down/object.txt", Body=b"x")
    with pytest.raises(ClientError) as error:
        s3.delete_bucket(Bucket=bucket)
    assert _code(error) == "BucketNotEmpty"
    s3.delete_object(Bucket=bucket, Key="deep/down/object.txt")
    s3.delete_bucket(Bucket=bucket)
    with pytest.raises(ClientError) as gone:
        s3.head_bucket(Bucket=bucket)
    assert _code(gone) == "404"


def test_objects_in_a_missing_bucket_are_no_such_bucket(s3: Any) -> None:
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket="never-created", Key="k", Body=b"x")
    assert _code(error) == "NoSuchBucket"
    assert error.value.response["Error"]["BucketName"] == "never-created"


def test_unsupported_subresources_answer_not_implemented(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as error:
        s3.get_bucket_tagging(Bucket=bucket)
    assert _code(error) == "NotImplemented"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_get_bucket_location_is_the_default_region(s3: Any, bucket: str) -> None:
    assert s3.get_bucket_location(Bucket=bucket)["LocationConstraint"] is None
