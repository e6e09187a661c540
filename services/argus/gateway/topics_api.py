"""Admin REST API for SNS-style topics (``/v1/topics``...), authenticated like ``/v1``:
HTTP Basic with an access key id and its secret. Each account sees only its own topics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBasicCredentials
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from argus.core.db.models.notifications import Delivery, Subscription, Topic
from argus.core.errors import AwsError, InternalServerError, UnrecognizedClientException
from argus.gateway.rest import Credentials, account_of
from argus.gateway.state import GatewayState
from argus.notifications import topics

router = APIRouter(prefix="/v1", tags=["Topics"])


class CreateTopic(BaseModel):
    Name: str = Field(description="1-256 letters, digits, hyphens and underscores")
    Region: str | None = Field(default=None, description="Defaults to the server's region")


class Subscribe(BaseModel):
    Endpoint: str = Field(description="http:// or https:// URL that receives the messages")


def topic_view(topic: Topic) -> dict[str, Any]:
    return {"TopicArn": topic.arn, "Name": topic.name, "Region": topic.region}


def subscription_view(subscription: Subscription) -> dict[str, Any]:
    return {
        "SubscriptionArn": subscription.arn,
        "TopicArn": subscription.topic_arn,
        "Protocol": subscription.protocol,
        "Endpoint": subscription.endpoint,
        "Status": subscription.status,
    }


def delivery_view(delivery: Delivery) -> dict[str, Any]:
    return {
        "Id": delivery.id,
        "SubscriptionArn": delivery.subscription_arn,
        "TopicArn": delivery.topic_arn,
        "MessageType": delivery.message_type,
        "MessageId": delivery.message_id,
        "Status": delivery.status,
        "Attempts": delivery.attempts,
        "LastStatusCode": delivery.last_status_code,
        "LastError": delivery.last_error,
        "NextAttemptAt": delivery.next_attempt_at.isoformat(),
        "DeliveredAt": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
    }


async def call(
    request: Request,
    credentials: HTTPBasicCredentials,
    work: Callable[[GatewayState, Session, str], Any],
    status_code: int = 200,
) -> Response:
    state: GatewayState = request.app.state.argus

    def run() -> Any:
        account_id = account_of(state, credentials)
        with state.db.session() as session:
            return work(state, session, account_id)

    try:
        body = await run_in_threadpool(run)
    except AwsError as error:
        status = 401 if isinstance(error, UnrecognizedClientException) else error.status
        if error.code == "ResourceNotFoundException":
            status = 404
        return JSONResponse(error.to_body(), status_code=status)
    except Exception:
        return JSONResponse(InternalServerError("Internal server error").to_body(), status_code=500)
    if body is None:
        return Response(status_code=204)
    return JSONResponse(body, status_code=status_code)


@router.post("/topics", summary="Create a topic (idempotent)", status_code=201)
async def create_topic(
    request: Request, credentials: Credentials, spec: Annotated[CreateTopic, Body()]
) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        region = spec.Region or state.settings.s3_region
        return topic_view(topics.create_topic(session, account_id=account_id, region=region, name=spec.Name))

    return await call(request, credentials, work, status_code=201)


@router.get("/topics", summary="List the account's topics")
async def list_topics(request: Request, credentials: Credentials) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        return {"Topics": [topic_view(t) for t in topics.list_topics(session, account_id)]}

    return await call(request, credentials, work)


@router.delete("/topics/{topic_arn}", summary="Delete a topic and its subscriptions")
async def delete_topic(request: Request, credentials: Credentials, topic_arn: str) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        topics.delete_topic(session, topic_arn, account_id)

    return await call(request, credentials, work)


@router.post(
    "/topics/{topic_arn}/subscriptions",
    summary="Subscribe an HTTP/HTTPS endpoint (it receives a SubscriptionConfirmation)",
    status_code=201,
)
async def subscribe(
    request: Request, credentials: Credentials, topic_arn: str, spec: Annotated[Subscribe, Body()]
) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        done = topics.subscribe(
            session, state.settings, topic_arn=topic_arn, endpoint=spec.Endpoint, account_id=account_id
        )
        return subscription_view(done.subscription)

    return await call(request, credentials, work, status_code=201)


@router.get("/topics/{topic_arn}/subscriptions", summary="List a topic's subscriptions")
async def list_subscriptions(request: Request, credentials: Credentials, topic_arn: str) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        found = topics.list_subscriptions(session, topic_arn=topic_arn, account_id=account_id)
        return {"Subscriptions": [subscription_view(s) for s in found]}

    return await call(request, credentials, work)


@router.delete("/subscriptions/{subscription_arn}", summary="Unsubscribe")
async def unsubscribe(request: Request, credentials: Credentials, subscription_arn: str) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        topics.unsubscribe(session, subscription_arn, account_id)

    return await call(request, credentials, work)


@router.get("/deliveries", summary="The delivery log, newest first")
async def list_deliveries(
    request: Request,
    credentials: Credentials,
    status: Annotated[str | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    def work(state: GatewayState, session: Session, account_id: str) -> Any:
        found = topics.list_deliveries(session, status=status, account_id=account_id, limit=limit)
        return {"Deliveries": [delivery_view(d) for d in found]}

    return await call(request, credentials, work)
