"""The gateway's FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from argus import __version__
from argus.core.config import Settings
from argus.gateway import aws_json, health, rest, s3, sns, topics_api
from argus.gateway.protocol.validation import service_model
from argus.gateway.state import GatewayState


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service_model()  # parse the botocore service model once, before the first request
        state = GatewayState.build(settings)
        state.install_root_key()
        app.state.argus = state
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="Argus",
        version=__version__,
        description="Self-hosted computer vision that speaks the Amazon Rekognition API. "
        "AWS SDKs call `POST /` with the AWS JSON 1.1 protocol.",
        lifespan=lifespan,
    )
    app.include_router(aws_json.router)
    app.include_router(health.router)
    app.include_router(rest.router)
    app.include_router(sns.router)
    app.include_router(topics_api.router)
    if settings.embedded and settings.s3_endpoint_url is None:  # S3 over the local object store
        app.include_router(s3.router)
    return app
