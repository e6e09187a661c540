"""A real embedded gateway (uvicorn on loopback, SQLite, local object store) for the S3 endpoint."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
import uvicorn
from botocore.config import Config

from argus.core.config import Mode, Settings
from argus.core.db.migrate import upgrade
from argus.gateway.app import create_app
from tests.e2e.servers import free_port

ACCESS_KEY = "AKIAS3TESTROOTKEY000"
SECRET_KEY = "s3-endpoint-test-secret"
REGION = "eu-west-1"


@dataclass(frozen=True)
class Gateway:
    endpoint: str  # http://127.0.0.1:<port>/s3
    data_dir: Path


@pytest.fixture(scope="package")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    data_dir = tmp_path_factory.mktemp("s3-gateway")
    port = free_port()
    settings = Settings(
        mode=Mode.EMBEDDED,
        data_dir=data_dir,
        port=port,
        secret_key="s3-gateway-test-secret-key",
        root_access_key_id=ACCESS_KEY,
        root_secret_access_key=SECRET_KEY,
    )
    upgrade(settings.effective_database_url)
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the gateway did not start")
        time.sleep(0.05)
    try:
        yield Gateway(f"http://127.0.0.1:{port}/s3", data_dir.resolve())
    finally:
        server.should_exit = True
        thread.join(10)


def s3_client(gateway: Gateway, secret: str = SECRET_KEY, access_key: str = ACCESS_KEY) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=gateway.endpoint,
        region_name=REGION,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


@pytest.fixture
def s3(gateway: Gateway) -> Any:
    return s3_client(gateway)


@pytest.fixture
def bucket(s3: Any, request: pytest.FixtureRequest) -> str:
    """A fresh, empty bucket named after the test."""
    words = "".join(char if char.isalnum() else "-" for char in request.node.name.lower())[:40].strip("-")
    name = f"t-{words}-{hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:8]}"
    s3.create_bucket(Bucket=name)
    return name
