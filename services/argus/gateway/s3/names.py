"""S3's rules for bucket names and the keys this endpoint can keep as files."""

from __future__ import annotations

import ipaddress
import re

from argus.core.index.catalog import INDEX_BUCKET
from argus.gateway.s3.errors import AccessDenied, InvalidArgument, InvalidBucketName, KeyTooLongError

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
MAX_KEY_BYTES = 1024
RESERVED_BUCKETS = frozenset({INDEX_BUCKET})  # Argus's own data (face index snapshots)


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid S3 bucket name (general purpose buckets), or None."""
    if not _BUCKET.match(name):
        return (
            "Bucket names are 3 to 63 lowercase letters, digits, dots and hyphens, "
            "starting and ending with a letter or digit"
        )
    if ".." in name or ".-" in name or "-." in name:
        return "Bucket names must not contain two adjacent periods, or a period next to a hyphen"
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "Bucket names must not be formatted as an IP address"
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        return "Bucket names must not use a prefix or suffix that S3 reserves"
    return None


def check_bucket_name(name: str) -> None:
    problem = bucket_name_problem(name)
    if problem is not None:
        raise InvalidBucketName(f"The specified bucket is not valid. {problem}.", BucketName=name)
    if name in RESERVED_BUCKETS:
        raise AccessDenied(f"Bucket {name!r} holds Argus's own data and is not served here", BucketName=name)


def check_key(key: str) -> None:
    """Keys become paths under the bucket folder: refuse the ones a folder cannot hold faithfully."""
    if len(key.encode()) > MAX_KEY_BYTES:
        raise KeyTooLongError("Your key is too long", Key=key[:64])
    segments = key.split("/")
    if "\x00" in key or any(segment in ("", ".", "..") for segment in segments):
        raise InvalidArgument(
            "Argus keeps embedded objects as files: keys must not start or end with '/', contain '//', "
            "'.' or '..' segments, or NUL",
            ArgumentName="key",
            ArgumentValue=key[:64],
        )
