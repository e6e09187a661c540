"""The public SNS endpoints a subscriber calls back: the signing certificate, SubscribeURL and
UnsubscribeURL. They need no credentials (the tokens in the URLs are the proof), and answer
in the XML shape SNS's Query API uses, so tooling written against SNS reads them."""

from __future__ import annotations

import uuid
from typing import Annotated
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from argus.core.errors import AwsError, InvalidParameterException
from argus.gateway.state import GatewayState
from argus.notifications import signing, topics, urls

router = APIRouter(tags=["SNS"])
XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/"


def _xml(action: str, result: str, status: int = 200) -> Response:
    request_id = str(uuid.uuid4())
    inner = f"<{action}Result>{result}</{action}Result>" if result else ""
    body = (
        f'<{action}Response xmlns="{XMLNS}">{inner}'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>"
    )
    return Response(body, status_code=status, media_type="text/xml")


def _error(error: AwsError) -> Response:
    status = {"ResourceNotFoundException": 404, "AccessDeniedException": 403}.get(error.code, 400)
    code = {"ResourceNotFoundException": "NotFound", "AccessDeniedException": "AuthorizationError"}.get(
        error.code, "InvalidParameter"
    )
    body = (
        f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return Response(body, status_code=status, media_type="text/xml")


@router.get(urls.CERTIFICATE_PATH + "/{key_id}.pem", summary="The certificate that signs SNS messages")
async def certificate(request: Request, key_id: str) -> Response:
    state: GatewayState = request.app.state.argus
    pem = await run_in_threadpool(signing.certificate_pem, state.db, key_id)
    if pem is None:
        return Response("no such signing certificate\n", status_code=404, media_type="text/plain")
    return Response(pem, media_type="application/x-pem-file")


@router.get(urls.CONFIRM_PATH, summary="SubscribeURL: confirm a subscription")
async def confirm_subscription(
    request: Request,
    subscription_arn: Annotated[str, Query(alias="SubscriptionArn")],
    token: Annotated[str, Query(alias="Token")],
) -> Response:
    state: GatewayState = request.app.state.argus

    def run() -> str:
        with state.db.session() as session:
            return topics.confirm(session, subscription_arn, token).arn

    try:
        arn = await run_in_threadpool(run)
    except AwsError as error:
        return _error(error)
    return _xml("ConfirmSubscription", f"<SubscriptionArn>{escape(arn)}</SubscriptionArn>")


@router.get(urls.UNSUBSCRIBE_PATH, summary="UnsubscribeURL: remove a subscription")
async def unsubscribe(
    request: Request,
    subscription_arn: Annotated[str, Query(alias="SubscriptionArn")],
    token: Annotated[str | None, Query(alias="Token")] = None,
) -> Response:
    state: GatewayState = request.app.state.argus
    assert state.settings.secret_key is not None
    secret = state.settings.secret_key.get_secret_value()

    def run() -> None:
        if not token:
            raise InvalidParameterException("Token is required")
        with state.db.session() as session:
            topics.unsubscribe_with_token(session, secret, subscription_arn, token)

    try:
        await run_in_threadpool(run)
    except AwsError as error:
        return _error(error)
    return _xml("Unsubscribe", "")
