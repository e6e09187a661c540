"""SigV4 verification against the gateway's key store, shared by the Rekognition and S3 endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from argus.core.auth.sigv4 import Identity, verify_request
from argus.gateway.state import GatewayState


@dataclass(frozen=True)
class SignedCaller:
    identity: Identity
    secret: str
    account_id: str


def verify_signed_request(
    state: GatewayState,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    service: str = "rekognition",
) -> SignedCaller:
    """The caller of a correctly signed request; raises the AWS auth errors otherwise.
    ``body=None`` leaves the payload check to the caller (S3 streams it)."""
    found: dict[str, tuple[str, str]] = {}

    def secret_for(access_key_id: str) -> str | None:
        hit = state.keys.lookup(access_key_id)
        if hit is not None:
            found[access_key_id] = hit
        return None if hit is None else hit[0]

    identity = verify_request(
        method=method,
        url=url,
        headers=headers,
        body=body,
        secret_for=secret_for,
        now=datetime.now(UTC),
        max_skew_s=state.settings.signature_max_skew_s,
        service=service,
    )
    secret, account_id = found[identity.access_key_id]
    return SignedCaller(identity, secret, account_id)
