"""SigV4 for the S3 endpoint: the Rekognition endpoint's verifier, scoped to service ``s3``,
with its errors renamed to the codes S3 answers with. The payload is checked later, while the
body streams to disk (see :mod:`argus.gateway.s3.payload`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from argus.core.auth.sigv4 import Identity, signing_key
from argus.core.errors import (
    AwsError,
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)
from argus.gateway.s3.errors import (
    AccessDenied,
    AuthorizationHeaderMalformed,
    InvalidAccessKeyId,
    InvalidRequest,
    RequestTimeTooSkewed,
    S3Error,
    SignatureDoesNotMatch,
)
from argus.gateway.signatures import verify_signed_request
from argus.gateway.state import GatewayState

SERVICE = "s3"


@dataclass(frozen=True)
class Caller:
    """A verified caller: the account, and what aws-chunked chunk signatures chain from."""

    account_id: str
    identity: Identity
    key: bytes  # the SigV4 signing key of the request's scope

    @property
    def scope(self) -> str:
        identity = self.identity
        return f"{identity.scope_date}/{identity.region}/{identity.service}/aws4_request"


def authenticate(state: GatewayState, method: str, url: str, headers: Mapping[str, str]) -> Caller:
    """Verify the signature of an S3 request (headers only); raise the S3 error otherwise."""
    if "x-amz-algorithm" in {name.lower() for name in _query_names(url)}:
        raise AccessDenied("Presigned URLs are not supported by the embedded S3 endpoint")
    try:
        caller = verify_signed_request(state, method, url, headers, None, service=SERVICE)
    except AwsError as error:
        raise s3_auth_error(error) from None
    identity, secret, account_id = caller.identity, caller.secret, caller.account_id
    return Caller(account_id, identity, signing_key(secret, identity.scope_date, identity.region, SERVICE))


def s3_auth_error(error: AwsError) -> S3Error:
    """The S3 error for what the SigV4 verifier raised."""
    message = error.message
    if isinstance(error, MissingAuthenticationTokenException):
        return AccessDenied("Access Denied")
    if isinstance(error, UnrecognizedClientException):
        return InvalidAccessKeyId("The AWS Access Key Id you provided does not exist in our records.")
    if isinstance(error, IncompleteSignatureException):
        return AuthorizationHeaderMalformed(message)
    if isinstance(error, InvalidSignatureException):
        if message.startswith(("Signature expired", "Signature not yet current")):
            return RequestTimeTooSkewed(
                "The difference between the request time and the current time is too large. " + message
            )
        if message.startswith("Missing required header"):
            return InvalidRequest(message)
        if message.startswith(("Credential should be scoped", "Date in Credential scope")):
            return AuthorizationHeaderMalformed(message)
        return SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method."
        )
    return AccessDenied(message)


def _query_names(url: str) -> list[str]:
    query = url.partition("?")[2]
    return [pair.partition("=")[0] for pair in query.split("&") if pair]
