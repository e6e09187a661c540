"""The AWS JSON 1.1 protocol on ``POST /``: authenticate, validate, dispatch, encode.

Every response, errors included, carries ``x-amzn-RequestId``; errors use the AWS shape
``{"__type": code, "message": text}`` with the status AWS uses for that code.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from argus.core.errors import (
    AwsError,
    InternalServerError,
    NotImplementedYet,
    SerializationException,
    UnknownOperationException,
)
from argus.gateway.operations.context import RequestContext
from argus.gateway.operations.table import handler_for
from argus.gateway.protocol.encoding import dumps, encode_output
from argus.gateway.protocol.validation import service_model, validate_input
from argus.gateway.signatures import verify_signed_request
from argus.gateway.state import GatewayState

log = logging.getLogger(__name__)
router = APIRouter()

CONTENT_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "RekognitionService."


def aws_response(status: int, body: bytes, request_id: str) -> Response:
    return Response(
        content=body, status_code=status, media_type=CONTENT_TYPE, headers={"x-amzn-RequestId": request_id}
    )


def error_response(error: AwsError, request_id: str) -> Response:
    return aws_response(error.status, json.dumps(error.to_body()).encode(), request_id)


def operation_name(target: str | None) -> str:
    if not target or not target.startswith(TARGET_PREFIX):
        raise UnknownOperationException(f"Unknown or missing X-Amz-Target: {target!r}")
    name = target.removeprefix(TARGET_PREFIX)
    if name not in service_model().operation_names:
        raise UnknownOperationException(f"Unknown operation {name}")
    return name


def parse_body(body: bytes) -> Any:
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SerializationException(f"Request body is not valid JSON: {error}") from error


def authenticate(state: GatewayState, method: str, url: str, headers: Any, body: bytes) -> tuple[str, str]:
    """(account id, region) of a correctly signed request; raises the AWS auth errors otherwise."""
    caller = verify_signed_request(state, method, url, headers, body)
    return caller.account_id, caller.identity.region


async def handle(request: Request, state: GatewayState, request_id: str) -> Response:
    body = await request.body()
    account_id, region = await run_in_threadpool(
        authenticate, state, request.method, str(request.url), request.headers, body
    )
    name = operation_name(request.headers.get("x-amz-target"))
    handler = handler_for(name)
    if handler is None:
        raise NotImplementedYet(f"{name} is part of the Rekognition API but Argus does not implement it yet")
    operation = service_model().operation_model(name)
    params = validate_input(operation, parse_body(body))
    context = RequestContext(
        request_id=request_id, operation=name, account_id=account_id, region=region, state=state
    )
    result = await run_in_threadpool(handler, context, params)
    return aws_response(200, dumps(encode_output(operation, result)), request_id)


@router.post("/", include_in_schema=False)
async def aws_json_endpoint(request: Request) -> Response:
    request_id = str(uuid.uuid4())
    state: GatewayState = request.app.state.argus
    try:
        return await handle(request, state, request_id)
    except AwsError as error:
        if error.status >= 500:
            log.warning("request %s: %s %s", request_id, error.code, error.message)
        return error_response(error, request_id)
    except Exception:
        log.exception("request %s failed", request_id)
        return error_response(InternalServerError("Internal server error"), request_id)
