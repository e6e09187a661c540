"""What every operation handler receives besides its parameters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from argus.gateway.state import GatewayState


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    operation: str
    account_id: str
    region: str
    state: GatewayState


Handler = Callable[[RequestContext, Mapping[str, Any]], dict[str, Any]]
