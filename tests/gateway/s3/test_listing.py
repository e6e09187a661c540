"""ListObjectsV2 / ListObjects: sorted keys, prefixes, delimiters, pages that boto3's paginator follows."""

from __future__ import annotations

from typing import Any

import pytest

KEYS = ["a.txt", "b b/1.jpg", "b b/2.jpg", "c+plus/x.jpg", "c+plus/y/z.jpg", "d.txt"]


@pytest.fixture
def filled(s3: Any, bucket: str) -> str:
    for key in reversed(KEYS):
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    return bucket


def test_list_objects_v2_returns_every_key_in_order_with_size_and_etag(s3: Any, filled: str) -> None:
    listed = s3.list_objects_v2(Bucket=filled)
    assert [item["Key"] for item in listed["Contents"]] == KEYS
    assert listed["KeyCount"] == len(KEYS)
    assert listed["IsTruncated"] is False
    assert listed["Contents"][0]["Size"] == len(b"a.txt")
    assert listed["Contents"][0]["ETag"] == s3.head_object(Bucket=filled, Key="a.txt")["ETag"]


def test_the_paginator_walks_pages_of_max_keys(s3: Any, filled: str) -> None:
    pages = list(
        s3.get_paginator("list_objects_v2").paginate(Bucket=filled, PaginationConfig={"PageSize": 4})
    )
    assert [len(page["Contents"]) for page in pages] == [4, 2]
    assert [item["Key"] for page in pages for item in page["Contents"]] == KEYS


def test_a_delimiter_rolls_keys_up_into_common_prefixes_across_pages(s3: Any, filled: str) -> None:
    pages = list(
        s3.get_paginator("list_objects_v2").paginate(
            Bucket=filled, Delimiter="/", PaginationConfig={"PageSize": 2}
        )
    )
    keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
    prefixes = [item["Prefix"] for page in pages for item in page.get("CommonPrefixes", [])]
    assert keys == ["a.txt", "d.txt"]
    assert prefixes == ["b b/", "c+plus/"]


def test_prefix_and_delimiter_list_one_folder_level(s3: Any, filled: str) -> None:
    listed = s3.list_objects_v2(Bucket=filled, Prefix="c+plus/", Delimiter="/")
    assert [item["Key"] for item in listed["Contents"]] == ["c+plus/x.jpg"]
    assert [item["Prefix"] for item in listed["CommonPrefixes"]] == ["c+plus/y/"]


def test_start_after_skips_the_keys_up_to_it(s3: Any, filled: str) -> None:
    listed = s3.list_objects_v2(Bucket=filled, StartAfter="b b/2.jpg")
    assert [item["Key"] for item in listed["Contents"]] == KEYS[3:]


def test_list_objects_v1_pages_with_markers(s3: Any, filled: str) -> None:
    pages = list(s3.get_paginator("list_objects").paginate(Bucket=filled, PaginationConfig={"PageSize": 5}))
    assert [item["Key"] for page in pages for item in page["Contents"]] == KEYS
    assert len(pages) == 2


def test_an_empty_bucket_lists_nothing(s3: Any, bucket: str) -> None:
    listed = s3.list_objects_v2(Bucket=bucket)
    assert listed["KeyCount"] == 0
    assert "Contents" not in listed
