"""Encode operation results the way AWS JSON 1.1 sends them and botocore parses them.

:func:`encode_output` walks the operation's output shape: ``datetime`` timestamps become
epoch seconds (a float, the AWS JSON 1.1 default), ``bytes`` blobs become base64 text,
``None`` members are dropped, and numbers and strings are normalised to plain JSON types
(so ``numpy.float32`` or a ``str`` enum from a handler encode cleanly). A member the shape
does not have, or a value of the wrong type, is a bug in the handler and raises
:class:`ValueError`: a handler cannot leak a field AWS would not send.
"""

from __future__ import annotations

import base64
import json
import math
import numbers
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape


def encode_output(operation: OperationModel, result: Mapping[str, Any]) -> dict[str, Any]:
    """``result`` (a handler's return value) as the JSON-ready body of ``operation``'s response."""
    shape = operation.output_shape
    if shape is None:
        if result:
            raise ValueError(f"{operation.name} has no output, but the handler returned {sorted(result)}")
        return {}
    assert isinstance(shape, StructureShape)
    return _structure(shape, result, operation.name)


def dumps(obj: Any) -> bytes:
    """Compact UTF-8 JSON. NaN and infinities are refused: they are not JSON."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def _structure(shape: StructureShape, value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _wrong_type(shape, value, path)
    members = shape.members
    encoded: dict[str, Any] = {}
    for name, item in value.items():
        member = members.get(name)
        if member is None:
            raise ValueError(f"{path}: {name!r} is not a member of {shape.name}")
        if item is not None:
            encoded[name] = _encode(member, item, f"{path}.{name}")
    return encoded


def _encode(shape: Shape, value: Any, path: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        assert isinstance(shape, StructureShape)
        return _structure(shape, value, path)
    if kind == "list":
        assert isinstance(shape, ListShape)
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, list | tuple):
            raise _wrong_type(shape, value, path)
        items: list[Any] = []
        for index, item in enumerate(value):
            if item is None:
                raise ValueError(f"{path}[{index}]: a list element of {shape.name} is None")
            items.append(_encode(shape.member, item, f"{path}[{index}]"))
        return items
    if kind == "map":
        assert isinstance(shape, MapShape)
        if not isinstance(value, Mapping):
            raise _wrong_type(shape, value, path)
        entries: dict[str, Any] = {}
        for key, item in value.items():
            text_key = _string(shape.key, key, f"{path} key")
            if item is not None:
                entries[text_key] = _encode(shape.value, item, f"{path}[{key!r}]")
        return entries
    if kind == "string":
        return _string(shape, value, path)
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise _wrong_type(shape, value, path)
        return int(value)
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise _wrong_type(shape, value, path)
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"{path}: {number} cannot be sent as JSON")
        return number
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _wrong_type(shape, value, path)
        return value
    if kind == "timestamp":
        return _epoch_seconds(shape, value, path)
    if kind == "blob":
        if not isinstance(value, bytes | bytearray | memoryview):
            raise _wrong_type(shape, value, path)
        return base64.b64encode(value).decode("ascii")
    return value


def _string(shape: Shape, value: Any, path: str) -> str:
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        raise _wrong_type(shape, value, path)
    return str(value)


def _epoch_seconds(shape: Shape, value: Any, path: str) -> float:
    """Seconds since the epoch; a naive datetime is taken to be UTC."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.timestamp()
    if isinstance(value, date):
        raise _wrong_type(shape, value, path)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _wrong_type(shape, value, path)
    return float(value)


def _wrong_type(shape: Shape, value: Any, path: str) -> ValueError:
    return ValueError(f"{path}: a {type(value).__name__} cannot be encoded as {shape.type_name} {shape.name}")
