"""End-to-end fixtures: a real boto3 client against live servers in both modes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.e2e.servers import Server, cluster_server, embedded_server

REGION = "eu-west-1"


@pytest.fixture(scope="session")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with embedded_server(tmp_path_factory.mktemp("embedded")) as server:
        yield server


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with cluster_server(tmp_path_factory.mktemp("cluster")) as server:
        yield server


@pytest.fixture(params=["embedded", "cluster"])
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def client_for(server: Server, **config: Any) -> Any:
    return boto3.client(
        "rekognition",
        endpoint_url=server.endpoint,
        region_name=REGION,
        aws_access_key_id=server.access_key_id,
        aws_secret_access_key=server.secret_access_key,
        config=Config(retries={"max_attempts": 1}, **config),
    )


@pytest.fixture
def rekognition(server: Server) -> Any:
    return client_for(server)


@pytest.fixture
def raw_rekognition(server: Server) -> Any:
    """A client that skips boto3's own parameter checks, so the server's validation is tested."""
    return client_for(server, parameter_validation=False)


@pytest.fixture
def s3(cluster: Server) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=cluster.s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
