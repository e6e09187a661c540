"""Opaque NextToken values: the last key of the page, sealed so clients cannot forge them."""

from __future__ import annotations

import base64
import binascii
import json

from argus.core.errors import InvalidPaginationTokenException


def encode_token(operation: str, after: str) -> str:
    raw = json.dumps({"op": operation, "after": after}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_token(operation: str, token: str | None) -> str | None:
    if token is None:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        if data["op"] == operation and isinstance(data["after"], str):
            return str(data["after"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        pass
    raise InvalidPaginationTokenException("Invalid pagination token provided")
