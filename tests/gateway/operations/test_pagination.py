"""NextToken values round-trip and cannot be replayed across operations or forged."""

from __future__ import annotations

import pytest

from argus.core.errors import InvalidPaginationTokenException
from argus.gateway.operations.pagination import decode_token, encode_token


def test_token_round_trips() -> None:
    assert decode_token("ListCollections", encode_token("ListCollections", "abc")) == "abc"


def test_no_token_means_first_page() -> None:
    assert decode_token("ListCollections", None) is None


def test_token_of_another_operation_is_refused() -> None:
    with pytest.raises(InvalidPaginationTokenException):
        decode_token("ListFaces", encode_token("ListCollections", "abc"))


@pytest.mark.parametrize("token", ["", "garbage", "eyJvcCI6MX0="])
def test_forged_token_is_refused(token: str) -> None:
    with pytest.raises(InvalidPaginationTokenException):
        decode_token("ListCollections", token)
