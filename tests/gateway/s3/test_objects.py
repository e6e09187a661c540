"""Objects over the embedded S3 endpoint: put, get, head, ranges, delete, keys kept in the bucket."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.gateway.s3.conftest import Gateway


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_put_then_get_returns_the_bytes_with_md5_etag_and_content_type(s3: Any, bucket: str) -> None:
    body = b"\x00image bytes\xff" * 100
    put = s3.put_object(Bucket=bucket, Key="photos/a b+c.jpg", Body=body, ContentType="image/jpeg")
    etag = f'"{hashlib.md5(body).hexdigest()}"'
    assert put["ETag"] == etag

    got = s3.get_object(Bucket=bucket, Key="photos/a b+c.jpg")
    assert got["Body"].read() == body
    assert got["ETag"] == etag
    assert got["ContentType"] == "image/jpeg"
    assert got["ContentLength"] == len(body)
    assert got["LastModified"].year >= 2024


def test_the_object_is_a_plain_file_under_the_bucket_folder(s3: Any, bucket: str, gateway: Gateway) -> None:
    s3.put_object(Bucket=bucket, Key="nested/dir/file.bin", Body=b"on disk")
    assert (gateway.data_dir / "objects" / bucket / "nested" / "dir" / "file.bin").read_bytes() == b"on disk"


def test_head_object_reports_size_type_and_user_metadata(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"12345", Metadata={"camera": "north-gate"})
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ContentLength"] == 5
    assert head["ContentType"] == "binary/octet-stream"
    assert head["Metadata"] == {"camera": "north-gate"}
    assert head["AcceptRanges"] == "bytes"


def test_missing_key_is_no_such_key_and_head_is_404(s3: Any, bucket: str) -> None:
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="absent.txt")
    assert _code(error) == "NoSuchKey"
    assert error.value.response["Error"]["Key"] == "absent.txt"
    with pytest.raises(ClientError) as head:
        s3.head_object(Bucket=bucket, Key="absent.txt")
    assert _code(head) == "404"


def test_a_range_get_answers_206_with_those_bytes(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="digits", Body=b"0123456789")
    part = s3.get_object(Bucket=bucket, Key="digits", Range="bytes=2-5")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == "bytes 2-5/10"
    assert part["Body"].read() == b"2345"
    assert s3.get_object(Bucket=bucket, Key="digits", Range="bytes=-3")["Body"].read() == b"789"
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="digits", Range="bytes=10-")
    assert _code(error) == "InvalidRange"


def test_if_match_with_another_etag_is_precondition_failed(s3: Any, bucket: str) -> None:
    s3.put_object(Bucket=bucket, Key="k", Body=b"v1")
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="k", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert _code(error) == "PreconditionFailed"


def test_put_replaces_and_delete_removes(s3: Any, bucket: str, gateway: Gateway) -> None:
    s3.put_object(Bucket=bucket, Key="a/b/c", Body=b"first")
    s3.put_object(Bucket=bucket, Key="a/b/c", Body=b"second")
    assert s3.get_object(Bucket=bucket, Key="a/b/c")["Body"].read() == b"second"
    assert s3.delete_object(Bucket=bucket, Key="a/b/c")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.delete_object(Bucket=bucket, Key="a/b/c")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert list((gateway.data_dir / "objects" / bucket).iterdir()) == []  # no empty folders left behind


def test_delete_objects_removes_each_listed_key(s3: Any, bucket: str) -> None:
    for key in ("x/1", "x/2", "y"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"-")
    deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "x/1"}, {"Key": "x/2"}]})
    assert sorted(item["Key"] for item in deleted["Deleted"]) == ["x/1", "x/2"]
    assert [item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["y"]


@pytest.mark.parametrize("key", ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "dir/", "a//b", "./a"])
def test_keys_that_would_leave_or_blur_the_bucket_folder_are_refused(
    s3: Any, bucket: str, gateway: Gateway, key: str
) -> None:
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket=bucket, Key=key, Body=b"nope")
    assert _code(error) == "InvalidArgument"
    assert not (gateway.data_dir / "objects" / "escape.txt").exists()
    assert not (gateway.data_dir / "escape.txt").exists()


def test_if_none_match_with_the_current_etag_is_not_modified(s3: Any, bucket: str) -> None:
    etag = s3.put_object(Bucket=bucket, Key="k", Body=b"v1")["ETag"]
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="k", IfNoneMatch=etag)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
