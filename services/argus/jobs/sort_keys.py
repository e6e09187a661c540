"""Where each result item keeps its time and its NAME / ID / INDEX sort key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

INDEX_WIDTH = 12  # person indexes are zero-padded so that text order is numeric order


def timestamp_of(item: Mapping[str, Any]) -> int:
    value = item.get("Timestamp", item.get("StartTimestampMillis", 0))
    return int(value)


def sort_key_of(item: Mapping[str, Any]) -> str:
    if "Label" in item:
        return str(item["Label"].get("Name", ""))[:255]
    if "ModerationLabel" in item:
        return str(item["ModerationLabel"].get("Name", ""))[:255]
    if "Celebrity" in item:
        return str(item["Celebrity"].get("Id", ""))[:255]
    if "Person" in item:
        return str(int(item["Person"].get("Index", 0))).zfill(INDEX_WIDTH)
    return ""
