"""A boto3 Rekognition client on a fresh embedded Argus, for the benchmarks that time round trips."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.servers import embedded_server  # noqa: E402


@contextmanager
def embedded_rekognition() -> Iterator[Any]:
    """The client of a server started in a temporary data directory; no retries, so a figure is one call."""
    with tempfile.TemporaryDirectory() as tmp, embedded_server(Path(tmp)) as server:
        yield boto3.client(
            "rekognition",
            endpoint_url=server.endpoint,
            region_name="us-east-1",
            aws_access_key_id=server.access_key_id,
            aws_secret_access_key=server.secret_access_key,
            config=Config(retries={"max_attempts": 1}),
        )
