"""HTTP ``Range: bytes=...`` for GetObject (a single range, as S3 serves)."""

from __future__ import annotations


class Unsatisfiable(Exception):
    """The range starts past the end of the object (S3 answers 416 InvalidRange)."""


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a single byte range; None when the header asks for
    several ranges or is not a byte range (S3 then serves the whole object). Raises
    :class:`Unsatisfiable` when no byte of the object is in the range."""
    unit, _, spec = header.strip().partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if not first:  # suffix: the last N bytes
            length = int(last)
            if length <= 0 or size == 0:
                raise Unsatisfiable(header)
            return max(size - length, 0), size
        start = int(first)
        end = int(last) + 1 if last else size
    except ValueError:
        return None
    if last and end <= start:
        return None  # last byte before the first: syntactically invalid, ignored as S3 does
    if start >= size:
        raise Unsatisfiable(header)
    return start, min(end, size)
