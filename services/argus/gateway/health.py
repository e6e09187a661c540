"""``/healthz`` says the process is alive; ``/readyz`` that it can serve: database at the current
migration, broker reachable, object store reachable, model weights on disk."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from argus.core.db.migrate import current_revision, head_revision
from argus.gateway.state import GatewayState

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    ready: bool
    checks: dict[str, str]


def _database(state: GatewayState) -> None:
    state.db.ping()
    current = current_revision(state.db.engine)
    head = head_revision(state.settings.effective_database_url)
    if current != head:
        raise RuntimeError(f"schema at {current}, code expects {head}: run `argus migrate`")


def _broker(state: GatewayState) -> None:
    with state.celery.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)


def _storage(state: GatewayState) -> None:
    state.store.ping()


def _models(state: GatewayState) -> None:
    missing = state.models.missing()
    if missing:
        raise RuntimeError("; ".join(missing))


CHECKS: dict[str, Callable[[GatewayState], None]] = {
    "database": _database,
    "broker": _broker,
    "storage": _storage,
    "models": _models,
}


def run_checks(state: GatewayState) -> Readiness:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check(state)
            results[name] = "ok"
        except Exception as error:
            results[name] = f"{type(error).__name__}: {error}"
    return Readiness(ready=all(value == "ok" for value in results.values()), checks=results)


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
async def readyz(request: Request) -> JSONResponse:
    readiness = await run_in_threadpool(run_checks, request.app.state.argus)
    return JSONResponse(readiness.model_dump(), status_code=200 if readiness.ready else 503)
