"""A Start* request's identity for ClientRequestToken idempotency: a hash of its canonical JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

IGNORED = frozenset({"ClientRequestToken"})


def canonical(params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters that define the job (everything but the token), JSON-safe."""
    return {key: value for key, value in params.items() if key not in IGNORED}


def params_hash(params: Mapping[str, Any]) -> str:
    text = json.dumps(canonical(params), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
