"""A small REST face for apps that do not use an AWS SDK (documented on the OpenAPI page, /docs).

Each route is a thin mapping onto a Rekognition operation: it builds the operation's parameters,
validates them against the same service model, runs the same handler from the operation table
and answers the same response body. Authentication is HTTP Basic with an access key id and its
secret access key.
"""

from __future__ import annotations

import base64
import hmac
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from starlette.concurrency import run_in_threadpool

from argus.core.errors import AwsError, InternalServerError, UnrecognizedClientException
from argus.gateway.operations.context import RequestContext
from argus.gateway.operations.table import handler_for
from argus.gateway.protocol.encoding import encode_output
from argus.gateway.protocol.validation import service_model, validate_input
from argus.gateway.state import GatewayState

router = APIRouter(prefix="/v1", tags=["REST"])
basic = HTTPBasic(description="Access key id as the user name, secret access key as the password.")
Credentials = Annotated[HTTPBasicCredentials, Depends(basic)]


def account_of(state: GatewayState, credentials: HTTPBasicCredentials) -> str:
    found = state.keys.lookup(credentials.username)
    if found is None or not hmac.compare_digest(found[0].encode(), credentials.password.encode()):
        raise UnrecognizedClientException("The access key id or secret access key is not valid.")
    return found[1]


def run_operation(
    state: GatewayState, credentials: HTTPBasicCredentials, name: str, params: dict[str, Any]
) -> Any:
    account_id = account_of(state, credentials)
    operation = service_model().operation_model(name)
    handler = handler_for(name)
    assert handler is not None, f"REST route for unbuilt operation {name}"
    context = RequestContext(
        request_id=str(uuid.uuid4()),
        operation=name,
        account_id=account_id,
        region=state.settings.s3_region,
        state=state,
    )
    return encode_output(operation, handler(context, validate_input(operation, params)))


async def call(
    request: Request, credentials: HTTPBasicCredentials, name: str, params: dict[str, Any]
) -> Response:
    state: GatewayState = request.app.state.argus
    try:
        body = await run_in_threadpool(run_operation, state, credentials, name, params)
    except AwsError as error:
        status = 401 if isinstance(error, UnrecognizedClientException) else error.status
        return JSONResponse(error.to_body(), status_code=status)
    except Exception:
        return JSONResponse(InternalServerError("Internal server error").to_body(), status_code=500)
    return JSONResponse(body)


@router.get("/collections", summary="ListCollections")
async def list_collections(
    request: Request,
    credentials: Credentials,
    max_results: Annotated[int | None, Query(alias="maxResults")] = None,
    next_token: Annotated[str | None, Query(alias="nextToken")] = None,
) -> Response:
    params: dict[str, Any] = {"MaxResults": max_results, "NextToken": next_token}
    return await call(
        request, credentials, "ListCollections", {k: v for k, v in params.items() if v is not None}
    )


@router.put("/collections/{collection_id}", summary="CreateCollection")
async def create_collection(request: Request, credentials: Credentials, collection_id: str) -> Response:
    return await call(request, credentials, "CreateCollection", {"CollectionId": collection_id})


@router.get("/collections/{collection_id}", summary="DescribeCollection")
async def describe_collection(request: Request, credentials: Credentials, collection_id: str) -> Response:
    return await call(request, credentials, "DescribeCollection", {"CollectionId": collection_id})


@router.delete("/collections/{collection_id}", summary="DeleteCollection")
async def delete_collection(request: Request, credentials: Credentials, collection_id: str) -> Response:
    return await call(request, credentials, "DeleteCollection", {"CollectionId": collection_id})


@router.post("/faces/detect", summary="DetectFaces on an uploaded JPEG or PNG")
async def detect_faces(
    request: Request,
    credentials: Credentials,
    image: Annotated[UploadFile, File(description="JPEG or PNG, at most 5 MB")],
    attributes: Annotated[list[str], Query()] = ["DEFAULT"],  # noqa: B006
) -> Response:
    data = await image.read()
    params = {"Image": {"Bytes": base64.b64encode(data).decode()}, "Attributes": attributes}
    return await call(request, credentials, "DetectFaces", params)
