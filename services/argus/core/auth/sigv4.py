"""Server-side verification of AWS Signature Version 4 (``Authorization`` header form).

The canonical request, string to sign and signing key all come from botocore's own
:class:`botocore.auth.SigV4Auth`, so the server computes exactly what the boto3 client and the
AWS CLI computed. Only two things differ from client-side signing:

* the headers that go into the canonical request are exactly the ones the client listed in
  ``SignedHeaders`` (botocore would otherwise drop a few it never signs itself, such as
  ``User-Agent``, and would add ``host`` from the URL), and
* nothing is added to or changed in the request before the signature is computed (the
  timestamp is the received ``X-Amz-Date``, not the current time).

The caller passes the request as received: the method, the full URL (scheme, host, port, the
raw percent-encoded path and the query string), every header, and the raw body.

For S3 (``service="s3"``) the path is used exactly as received (S3 does not normalise or
double-encode it, like botocore's ``S3SigV4Auth``), ``X-Amz-Content-SHA256`` is required, and
the caller may pass ``body=None`` to check the payload itself while streaming it (the header
may then also be ``UNSIGNED-PAYLOAD`` or one of the ``STREAMING-*`` aws-chunked forms); the
returned :class:`Identity` carries the seed signature and the signing key's scope date that
aws-chunked chunk signatures chain from.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.auth import SigV4Auth, _host_from_url
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from argus.core.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

__all__ = ["ALGORITHM", "Identity", "signing_key", "verify_request"]

ALGORITHM = "AWS4-HMAC-SHA256"
_AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_TERMINATOR = "aws4_request"
_REQUIRED_PARAMS = ("Credential", "Signature", "SignedHeaders")

_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)
_UNKNOWN_KEY = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Identity:
    """Who signed a verified request, and the scope they signed it for."""

    access_key_id: str
    region: str
    service: str
    signature: str = field(default="", compare=False)
    scope_date: str = field(default="", compare=False)
    amz_date: str = field(default="", compare=False)


@dataclass(frozen=True)
class _Authorization:
    access_key_id: str
    scope_date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


class _ReceivedRequestSigner(SigV4Auth):  # type: ignore[misc]  # botocore ships no type hints
    """SigV4Auth that canonicalises exactly the headers the client said it signed."""

    def __init__(
        self,
        credentials: Credentials,
        service_name: str,
        region_name: str,
        signed: list[tuple[str, str]],
    ) -> None:
        super().__init__(credentials, service_name, region_name)
        self._signed = signed

    def headers_to_sign(self, request: Any) -> HTTPHeaders:
        header_map = HTTPHeaders()
        for name, value in self._signed:
            header_map[name] = value  # HTTPHeaders appends: repeated headers stay repeated
        return header_map


class _ReceivedS3RequestSigner(_ReceivedRequestSigner):
    """S3 signs the path exactly as sent (botocore's ``S3SigV4Auth`` does the same)."""

    def _normalize_url_path(self, path: str) -> str:
        return path


def signing_key(secret: str, scope_date: str, region: str, service: str) -> bytes:
    """The SigV4 signing key (kSigning) for a scope."""
    key = f"AWS4{secret}".encode()
    for part in (scope_date, region, service, _TERMINATOR):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def verify_request(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    secret_for: Callable[[str], str | None],
    now: datetime,
    max_skew_s: int = 900,
    service: str = "rekognition",
) -> Identity:
    """Check the SigV4 ``Authorization`` header of a received request; return who signed it.

    ``headers`` may be a plain dict or Starlette ``Headers`` (names are matched
    case-insensitively; repeated headers are kept). ``secret_for`` maps an access key id to its
    secret access key, or ``None`` when the key is unknown. ``now`` should be timezone-aware; a
    naive value is taken as UTC.

    Raises :class:`MissingAuthenticationTokenException`, :class:`IncompleteSignatureException`,
    :class:`InvalidSignatureException` or :class:`UnrecognizedClientException`, mirroring AWS.
    """
    received = _normalise_headers(headers.items())

    authorization = _single(received, "authorization").strip()
    if not authorization:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    auth = _parse_authorization(authorization)

    amz_date = _single(received, "x-amz-date").strip()
    if not amz_date:
        raise IncompleteSignatureException(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            f"Authorization={authorization}"
        )
    try:
        signed_at = datetime.strptime(amz_date, _AMZ_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise IncompleteSignatureException(
            f"Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        ) from None

    if auth.service != service:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{service}'. ")
    if auth.scope_date != amz_date[:8]:
        raise InvalidSignatureException(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
            f"'{auth.scope_date}' != '{amz_date[:8]}', from '{amz_date}'."
        )
    if "host" not in auth.signed_headers:
        raise InvalidSignatureException(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
        )

    _check_clock_skew(signed_at, amz_date, now, max_skew_s)
    if service == "s3" and (
        not _single(received, "x-amz-content-sha256").strip()
        or "x-amz-content-sha256" not in auth.signed_headers
    ):  # the payload hash (or its UNSIGNED/STREAMING form) is only trusted when it is signed
        raise InvalidSignatureException("Missing required header for this request: x-amz-content-sha256")

    secret = secret_for(auth.access_key_id)
    if secret is None:
        raise UnrecognizedClientException(_UNKNOWN_KEY)

    signed: list[tuple[str, str]] = []
    for name in auth.signed_headers:
        values = received.get(name)
        if values is None and name == "host":
            # An HTTP/1.1 server always sees Host; fall back to what botocore derives from the URL.
            values = [_host_from_url(url)]
        if values is None:
            raise InvalidSignatureException(_MISMATCH)  # signed a header that never arrived
        signed.extend((name, value) for value in values)

    request = AWSRequest(method=method, url=url, data=body or b"", headers=dict(signed))
    request.context["timestamp"] = amz_date

    content_sha256 = request.headers.get("X-Amz-Content-SHA256")
    if (
        body is not None
        and content_sha256 is not None
        and content_sha256.strip() != hashlib.sha256(body).hexdigest()
    ):
        # botocore trusts a signed X-Amz-Content-SHA256 as the payload hash; make sure it is the body's.
        raise InvalidSignatureException(
            "The provided 'x-amz-content-sha256' header does not match what was computed."
        )

    signer_class = _ReceivedS3RequestSigner if service == "s3" else _ReceivedRequestSigner
    signer = signer_class(Credentials(auth.access_key_id, secret), auth.service, auth.region, signed)
    canonical_request: str = signer.canonical_request(request)
    string_to_sign: str = signer.string_to_sign(request, canonical_request)
    expected: str = signer.signature(string_to_sign, request)

    if not hmac.compare_digest(expected.encode("ascii"), auth.signature.encode("utf-8", "replace")):
        raise InvalidSignatureException(_MISMATCH)
    return Identity(
        access_key_id=auth.access_key_id,
        region=auth.region,
        service=auth.service,
        signature=auth.signature,
        scope_date=auth.scope_date,
        amz_date=amz_date,
    )


def _normalise_headers(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in items:
        out.setdefault(name.lower().strip(), []).append(value)
    return out


def _single(received: Mapping[str, list[str]], name: str) -> str:
    values = received.get(name)
    return values[0] if values else ""


def _parse_authorization(header: str) -> _Authorization:
    algorithm, _, rest = header.partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignatureException(
            f"Unsupported AWS 'algorithm': '{algorithm}'. Only '{ALGORITHM}' is supported. "
            f"Authorization={header}"
        )

    params: dict[str, str] = {}
    for part in rest.split(","):
        part = part.strip()
        if not part:
            continue
        key, eq, value = part.partition("=")
        if not eq:
            raise IncompleteSignatureException(
                f"'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: "
                f"'{header}'."
            )
        params[key.strip()] = value.strip()

    missing = [name for name in _REQUIRED_PARAMS if not params.get(name)]
    if missing:
        raise IncompleteSignatureException(
            " ".join(f"Authorization header requires '{name}' parameter." for name in missing)
            + f" Authorization={header}"
        )

    credential = params["Credential"]
    parts = credential.split("/")
    if len(parts) != 5 or not all(parts):
        raise IncompleteSignatureException(
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            f"keyid/date/region/service/{_TERMINATOR}, got '{credential}'."
        )
    access_key_id, scope_date, region, scope_service, terminator = parts
    if terminator != _TERMINATOR:
        raise IncompleteSignatureException(
            f"Credential should be scoped with a valid terminator: '{_TERMINATOR}', not '{terminator}'. "
        )

    signed_headers = tuple(params["SignedHeaders"].split(";"))
    if not all(signed_headers):
        raise IncompleteSignatureException(
            f"SignedHeaders must be a non-empty ';'-separated list of header names, got "
            f"'{params['SignedHeaders']}'."
        )

    return _Authorization(
        access_key_id=access_key_id,
        scope_date=scope_date,
        region=region,
        service=scope_service,
        signed_headers=signed_headers,
        signature=params["Signature"],
    )


def _check_clock_skew(signed_at: datetime, amz_date: str, now: datetime, max_skew_s: int) -> None:
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    now = now.astimezone(UTC)
    skew = timedelta(seconds=max_skew_s)
    window = f"{max_skew_s // 60} min." if max_skew_s % 60 == 0 else f"{max_skew_s} sec."
    now_s = now.strftime(_AMZ_DATE_FORMAT)
    if signed_at < now - skew:
        earliest = (now - skew).strftime(_AMZ_DATE_FORMAT)
        raise InvalidSignatureException(
            f"Signature expired: {amz_date} is now earlier than {earliest} ({now_s} - {window})"
        )
    if signed_at > now + skew:
        latest = (now + skew).strftime(_AMZ_DATE_FORMAT)
        raise InvalidSignatureException(
            f"Signature not yet current: {amz_date} is still later than {latest} ({now_s} + {window})"
        )
