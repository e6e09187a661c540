"""Multipart uploads: boto3's upload_file of a large file, S3's part rules, abort."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

from tests.gateway.s3.conftest import Gateway

MIB = 1024 * 1024


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_upload_file_of_a_large_file_goes_multipart_and_reads_back_whole(
    s3: Any, bucket: str, gateway: Gateway, tmp_path: Path
) -> None:
    source = tmp_path / "big.bin"
    data = os.urandom(12 * MIB + 123)
    source.write_bytes(data)
    s3.upload_file(str(source), bucket, "videos/big.bin", ExtraArgs={"ContentType": "video/mp4"})

    head = s3.head_object(Bucket=bucket, Key="videos/big.bin")
    part_md5s = [hashlib.md5(data[i : i + 8 * MIB]).digest() for i in range(0, len(data), 8 * MIB)]
    assert head["ETag"] == f'"{hashlib.md5(b"".join(part_md5s)).hexdigest()}-2"'
    assert head["ContentLength"] == len(data)
    assert head["ContentType"] == "video/mp4"

    target = tmp_path / "back.bin"
    s3.download_file(bucket, "videos/big.bin", str(target))
    assert target.read_bytes() == data
    assert list((gateway.data_dir / ".s3-multipart").iterdir()) == []  # the parts are gone
    assert list((gateway.data_dir / ".s3-incoming").iterdir()) == []


def test_parts_other_than_the_last_must_be_at_least_5_mib(s3: Any, bucket: str) -> None:
    upload = s3.create_multipart_upload(Bucket=bucket, Key="small-parts")
    upload_id = upload["UploadId"]
    etags = [
        s3.upload_part(Bucket=bucket, Key="small-parts", UploadId=upload_id, PartNumber=n, Body=b"x" * 1024)[
            "ETag"
        ]
        for n in (1, 2)
    ]
    parts = [{"PartNumber": n, "ETag": etag} for n, etag in zip((1, 2), etags, strict=True)]
    with pytest.raises(ClientError) as error:
        s3.complete_multipart_upload(
            Bucket=bucket, Key="small-parts", UploadId=upload_id, MultipartUpload={"Parts": parts}
        )
    assert _code(error) == "EntityTooSmall"


def test_a_single_small_part_completes_with_the_multipart_etag(s3: Any, bucket: str) -> None:
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="one-part", ContentType="text/plain")[
        "UploadId"
    ]
    etag = s3.upload_part(Bucket=bucket, Key="one-part", UploadId=upload_id, PartNumber=1, Body=b"tiny")[
        "ETag"
    ]
    done = s3.complete_multipart_upload(
        Bucket=bucket,
        Key="one-part",
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
    )
    assert done["ETag"] == f'"{hashlib.md5(hashlib.md5(b"tiny").digest()).hexdigest()}-1"'
    got = s3.get_object(Bucket=bucket, Key="one-part")
    assert (got["Body"].read(), got["ContentType"]) == (b"tiny", "text/plain")


def test_a_part_with_a_wrong_etag_is_invalid_part(s3: Any, bucket: str) -> None:
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"data")
    with pytest.raises(ClientError) as error:
        s3.complete_multipart_upload(
            Bucket=bucket,
            Key="k",
            UploadId=upload_id,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"00000000000000000000000000000000"'}]},
        )
    assert _code(error) == "InvalidPart"


def test_an_aborted_upload_is_gone(s3: Any, bucket: str) -> None:
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"data")
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    with pytest.raises(ClientError) as error:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=2, Body=b"more")
    assert _code(error) == "NoSuchUpload"
    with pytest.raises(ClientError) as missing:
        s3.head_object(Bucket=bucket, Key="k")
    assert _code(missing) == "404"


def test_download_file_of_a_large_object_uses_ranged_gets(s3: Any, bucket: str, tmp_path: Path) -> None:
    data = os.urandom(9 * MIB)
    s3.put_object(Bucket=bucket, Key="large", Body=data)
    target = tmp_path / "large"
    s3.download_file(bucket, "large", str(target), Config=TransferConfig(multipart_chunksize=4 * MIB))
    assert target.read_bytes() == data
