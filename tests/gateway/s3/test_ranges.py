"""Range headers as S3 reads them: one byte range served, several or malformed ones ignored."""

from __future__ import annotations

import pytest

from argus.gateway.s3.ranges import Unsatisfiable, byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 1)),
        ("bytes=2-5", (2, 6)),
        ("bytes=4-", (4, 10)),
        ("bytes=-3", (7, 10)),
        ("bytes=-30", (0, 10)),
        ("bytes=8-100", (8, 10)),
        ("bytes=0-1,4-5", None),
        ("bytes=5-2", None),
        ("items=0-1", None),
        ("bytes=x-1", None),
    ],
)
def test_a_range_header_becomes_an_end_exclusive_span(header: str, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 10) == expected


@pytest.mark.parametrize("header", ["bytes=10-", "bytes=10-20", "bytes=-0"])
def test_a_range_past_the_end_is_unsatisfiable(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        byte_range(header, 10)
