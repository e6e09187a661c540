"""ListObjects (V1 and V2) over a sorted key iterator: prefix, delimiter, start point, page size."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass, field

from argus.gateway.s3.errors import InvalidArgument

MAX_KEYS = 1000


@dataclass
class Page:
    keys: list[str] = field(default_factory=list)
    common_prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    last: str | None = None  # the last key or common prefix on the page: where the next page starts after


def page(keys: Iterable[str], *, prefix: str, delimiter: str, start_after: str, max_keys: int) -> Page:
    """One page of keys (sorted, each starting with ``prefix``), rolled up at ``delimiter``."""
    result = Page()
    for key in keys:
        if key <= start_after:
            continue
        entry = key
        if delimiter:
            cut = key.find(delimiter, len(prefix))
            if cut >= 0:
                entry = key[: cut + len(delimiter)]
                if entry == result.last or start_after.startswith(entry):
                    continue  # already rolled up (on this page or an earlier one)
        if len(result.keys) + len(result.common_prefixes) >= max_keys:
            result.truncated = True
            break
        (result.keys if entry == key else result.common_prefixes).append(entry)
        result.last = entry
    return result


def max_keys(value: str | None) -> int:
    if value is None:
        return MAX_KEYS
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise InvalidArgument(
            "Provided max-keys not an integer or within integer range", ArgumentName="max-keys"
        )
    return min(number, MAX_KEYS)


def continuation_token(last: str) -> str:
    return base64.urlsafe_b64encode(last.encode()).decode()


def resume_after(token: str) -> str:
    try:
        return base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidArgument(
            "The continuation token provided is incorrect", ArgumentName="continuation-token"
        ) from None
