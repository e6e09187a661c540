"""SigV4 verification against requests signed by botocore itself, the way boto3 signs them."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import boto3
import botocore.auth
import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.credentials import Credentials
from starlette.datastructures import Headers

from argus.core.auth.sigv4 import Identity, verify_request
from argus.core.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
URL = "http://127.0.0.1:8080/"
BODY = b'{"Image": {"Bytes": "aGVsbG8="}, "MaxLabels": 5}'
TARGET = "RekognitionService.DetectLabels"
SIGNED_AT = datetime(2026, 11, 23, 23, 45, 34, tzinfo=UTC)  # X-Amz-Date 20261123T234534Z

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)


def _secrets(key: str) -> str | None:
    return {KEY: SECRET}.get(key)


def _sign(
    *,
    url: str = URL,
    body: bytes = BODY,
    region: str = "us-east-1",
    service: str = "rekognition",
    secret: str = SECRET,
    token: str | None = None,
    at: datetime = SIGNED_AT,
    signer_cls: type[SigV4Auth] = SigV4Auth,
) -> dict[str, str]:
    """Sign like the boto3 client does (SigV4Auth.add_auth), with the clock frozen at ``at``.

    Returns the headers the server receives: the signed ones plus Host as urllib3 sends it.
    """
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET},
    )
    frozen = at.astimezone(UTC).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda remove_tzinfo=True: frozen):
        signer_cls(Credentials(KEY, secret, token), service, region).add_auth(request)
    headers = dict(request.headers.items())
    headers["Host"] = urlsplit(url).netloc
    return headers


def _verify(
    headers: Any,
    *,
    url: str = URL,
    body: bytes = BODY,
    now: datetime = SIGNED_AT,
    method: str = "POST",
) -> Identity:
    return verify_request(method=method, url=url, headers=headers, body=body, secret_for=_secrets, now=now)


def _with_authorization(headers: dict[str, str], old: str, new: str) -> dict[str, str]:
    assert old in headers["Authorization"]
    return {**headers, "Authorization": headers["Authorization"].replace(old, new)}


# --- accepted ---------------------------------------------------------------------------------


def test_valid_signature_is_accepted_and_identifies_the_key_and_region() -> None:
    headers = _sign()
    assert headers["Authorization"].startswith(
        f"AWS4-HMAC-SHA256 Credential={KEY}/20261123/us-east-1/rekognition/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
    )
    assert _verify(headers) == Identity(access_key_id=KEY, region="us-east-1", service="rekognition")


def test_region_eu_west_3_is_accepted_and_returned() -> None:
    assert _verify(_sign(region="eu-west-3")) == Identity(KEY, "eu-west-3", "rekognition")


def test_non_default_port_url_verifies() -> None:
    url = "http://localhost:18080/"
    headers = _sign(url=url)
    assert headers["Host"] == "localhost:18080"
    assert _verify(headers, url=url) == Identity(KEY, "us-east-1", "rekognition")


def test_host_falls_back_to_the_url_when_the_header_is_absent() -> None:
    headers = _sign(url="https://rekognition.example.com/")
    del headers["Host"]
    assert _verify(headers, url="https://rekognition.example.com/").access_key_id == KEY


def test_date_14_minutes_old_is_accepted() -> None:
    assert _verify(_sign(), now=SIGNED_AT + timedelta(minutes=14)).access_key_id == KEY


def test_date_14_minutes_ahead_is_accepted() -> None:
    assert _verify(_sign(), now=SIGNED_AT - timedelta(minutes=14)).access_key_id == KEY


def test_exactly_max_skew_is_accepted() -> None:
    assert _verify(_sign(), now=SIGNED_AT + timedelta(seconds=900)).access_key_id == KEY


def test_naive_now_is_taken_as_utc() -> None:
    assert _verify(_sign(), now=SIGNED_AT.replace(tzinfo=None)).access_key_id == KEY


def test_header_names_are_case_insensitive() -> None:
    lowered = {name.lower(): value for name, value in _sign().items()}
    assert _verify(lowered).access_key_id == KEY


def test_starlette_headers_are_accepted() -> None:
    raw = [(name.lower().encode(), value.encode("latin-1")) for name, value in _sign().items()]
    raw.append((b"user-agent", b"Boto3/1.44 md/Botocore#1.44"))  # unsigned extra header
    assert _verify(Headers(raw=raw)).access_key_id == KEY


def test_query_string_is_part_of_the_signature() -> None:
    url = "http://127.0.0.1:8080/?b=2&a=1"
    headers = _sign(url=url)
    assert _verify(headers, url=url).access_key_id == KEY
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers, url="http://127.0.0.1:8080/?b=2&a=3")
    assert exc.value.message == MISMATCH


def test_signed_security_token_verifies() -> None:
    headers = _sign(token="session-token")
    assert "x-amz-security-token" in headers["Authorization"]
    assert _verify(headers).access_key_id == KEY


def test_signed_security_token_cannot_be_swapped() -> None:
    headers = {**_sign(token="session-token"), "X-Amz-Security-Token": "other-token"}
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == MISMATCH


def test_signed_content_sha256_header_verifies() -> None:
    headers = _sign(signer_cls=S3SigV4Auth)
    assert headers["X-Amz-Content-SHA256"] == hashlib.sha256(BODY).hexdigest()
    assert _verify(headers).access_key_id == KEY


# --- rejected: signature ----------------------------------------------------------------------


def test_wrong_secret_is_rejected() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(secret="not-the-secret"))
    assert exc.value.message == MISMATCH
    assert exc.value.status == 403


def test_tampered_body_is_rejected() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(), body=BODY.replace(b'"MaxLabels": 5', b'"MaxLabels": 6'))
    assert exc.value.message == MISMATCH


def test_tampered_body_with_signed_content_sha256_is_rejected() -> None:
    # botocore takes a signed X-Amz-Content-SHA256 as the payload hash, so the body must match it.
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(signer_cls=S3SigV4Auth), body=b"{}")
    assert exc.value.message == "The provided 'x-amz-content-sha256' header does not match what was computed."


def test_tampered_target_is_rejected() -> None:
    headers = {**_sign(), "X-Amz-Target": "RekognitionService.DeleteCollection"}
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == MISMATCH


def test_tampered_method_is_rejected() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(), method="PUT")
    assert exc.value.message == MISMATCH


def test_different_host_is_rejected() -> None:
    headers = {**_sign(), "Host": "127.0.0.1:9090"}
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == MISMATCH


def test_signed_header_that_did_not_arrive_is_rejected() -> None:
    headers = _sign()
    del headers["X-Amz-Target"]
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == MISMATCH


def test_garbage_signature_is_rejected_without_crashing() -> None:
    headers = _sign()
    signature = headers["Authorization"].rsplit("Signature=", 1)[1]
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_with_authorization(headers, signature, "é" * 64))
    assert exc.value.message == MISMATCH


# --- rejected: key, date, scope ---------------------------------------------------------------


def test_unknown_key_is_unrecognized_client() -> None:
    headers = _with_authorization(_sign(), f"Credential={KEY}/", "Credential=AKIDUNKNOWN/")
    with pytest.raises(UnrecognizedClientException) as exc:
        _verify(headers)
    assert exc.value.message == "The security token included in the request is invalid."
    assert exc.value.status == 403


def test_date_16_minutes_old_is_expired() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(), now=SIGNED_AT + timedelta(minutes=16))
    assert exc.value.message == (
        "Signature expired: 20261123T234534Z is now earlier than 20261123T234634Z "
        "(20261124T000134Z - 15 min.)"
    )


def test_expired_message_uses_aws_wording() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(), now=datetime(2026, 11, 24, 0, 15, tzinfo=UTC))
    assert exc.value.message == (
        "Signature expired: 20261123T234534Z is now earlier than 20261124T000000Z "
        "(20261124T001500Z - 15 min.)"
    )


def test_date_16_minutes_ahead_is_not_yet_current() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(), now=SIGNED_AT - timedelta(minutes=16))
    assert exc.value.message == (
        "Signature not yet current: 20261123T234534Z is still later than 20261123T234434Z "
        "(20261123T232934Z + 15 min.)"
    )


def test_scope_date_must_match_x_amz_date() -> None:
    headers = _with_authorization(_sign(), "/20261123/", "/20261122/")
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == (
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        "'20261122' != '20261123', from '20261123T234534Z'."
    )


def test_scope_service_must_be_rekognition() -> None:
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(_sign(service="s3"))
    assert exc.value.message == "Credential should be scoped to correct service: 'rekognition'. "


def test_host_must_be_signed() -> None:
    headers = _with_authorization(_sign(), "content-type;host;x-amz-date", "content-type;x-amz-date")
    with pytest.raises(InvalidSignatureException) as exc:
        _verify(headers)
    assert exc.value.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."


# --- missing / malformed ----------------------------------------------------------------------


def test_missing_authorization_is_missing_authentication_token() -> None:
    headers = _sign()
    del headers["Authorization"]
    with pytest.raises(MissingAuthenticationTokenException) as exc:
        _verify(headers)
    assert exc.value.message == "Missing Authentication Token"
    assert exc.value.status == 403


def test_presigned_query_auth_is_not_supported() -> None:
    url = "http://127.0.0.1:8080/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"
    with pytest.raises(MissingAuthenticationTokenException):
        _verify({"Host": "127.0.0.1:8080"}, url=url)


def test_missing_signature_parameter_is_incomplete() -> None:
    headers = _sign()
    authorization = headers["Authorization"].split(", Signature=")[0]
    with pytest.raises(IncompleteSignatureException) as exc:
        _verify({**headers, "Authorization": authorization})
    assert exc.value.message == (
        f"Authorization header requires 'Signature' parameter. Authorization={authorization}"
    )
    assert exc.value.status == 400


@pytest.mark.parametrize(
    ("old", "new", "message_start"),
    [
        ("AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA512 ", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."),
        ("Credential=", "Cred=", "Authorization header requires 'Credential' parameter."),
        ("SignedHeaders=", "Headers=", "Authorization header requires 'SignedHeaders' parameter."),
        ("/us-east-1/", "/", "Credential must have exactly 5 slash-delimited elements"),
        ("/aws4_request", "/aws5_request", "Credential should be scoped with a valid terminator"),
        (", SignedHeaders=", ", SignedHeaders", "'SignedHeaderscontent-type;host;"),
        ("SignedHeaders=content-type;", "SignedHeaders=;", "SignedHeaders must be a non-empty"),
    ],
)
def test_malformed_authorization_is_incomplete(old: str, new: str, message_start: str) -> None:
    with pytest.raises(IncompleteSignatureException) as exc:
        _verify(_with_authorization(_sign(), old, new))
    assert exc.value.message.startswith(message_start)


def test_missing_x_amz_date_is_incomplete() -> None:
    headers = _sign()
    del headers["X-Amz-Date"]
    with pytest.raises(IncompleteSignatureException) as exc:
        _verify(headers)
    assert exc.value.message.startswith(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
    )


def test_unparseable_x_amz_date_is_incomplete() -> None:
    headers = {**_sign(), "X-Amz-Date": "2026-11-23T23:45:34Z"}
    with pytest.raises(IncompleteSignatureException) as exc:
        _verify(headers)
    assert exc.value.message.startswith(
        "Date must be in ISO-8601 'basic format'. Got '2026-11-23T23:45:34Z'."
    )


# --- the real boto3 client --------------------------------------------------------------------


def _client(endpoint_url: str, region: str = "eu-west-3") -> Any:
    return boto3.session.Session().client(
        "rekognition",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
        config=Config(retries={"max_attempts": 1}),
    )


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def test_boto3_client_request_captured_before_send_verifies() -> None:
    client = _client("http://127.0.0.1:8080")
    captured: dict[str, Any] = {}

    def before_send(request: Any, **_: Any) -> AWSResponse:
        body = request.body
        captured.update(
            method=request.method,
            url=request.url,
            headers={k: v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()},
            body=body.encode() if isinstance(body, str) else bytes(body),
        )
        return AWSResponse(
            request.url, 200, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(b'{"Labels": []}')
        )

    client.meta.events.register("before-send.rekognition.DetectLabels", before_send)
    assert client.detect_labels(Image={"Bytes": b"\x89PNG fake"}, MaxLabels=5)["Labels"] == []

    assert captured["method"] == "POST"
    assert captured["url"] == "http://127.0.0.1:8080/"
    assert captured["headers"]["X-Amz-Target"] == "RekognitionService.DetectLabels"
    assert "SignedHeaders=content-type;host;x-amz-date;x-amz-target," in captured["headers"]["Authorization"]
    # No Host header at this stage (urllib3 adds it on the wire): the verifier derives it from the URL.
    identity = verify_request(**captured, secret_for=_secrets, now=datetime.now(UTC))
    assert identity == Identity(KEY, "eu-west-3", "rekognition")

    with pytest.raises(InvalidSignatureException):
        verify_request(
            **{**captured, "body": captured["body"] + b" "}, secret_for=_secrets, now=datetime.now(UTC)
        )


def test_boto3_client_request_over_http_verifies() -> None:
    """End to end over a real socket: what the server reads off the wire verifies."""
    received: dict[str, Any] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.update(
                method=self.command,
                path=self.path,
                headers=Headers(
                    raw=[(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()]
                ),
                body=self.rfile.read(length),
            )
            payload = b'{"CollectionIds": [], "FaceModelVersions": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        _client(f"http://127.0.0.1:{port}", region="us-west-2").list_collections()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

    assert received["headers"]["host"] == f"127.0.0.1:{port}"
    identity = verify_request(
        method=received["method"],
        url=f"http://127.0.0.1:{port}{received['path']}",
        headers=received["headers"],
        body=received["body"],
        secret_for=_secrets,
        now=datetime.now(UTC),
    )
    assert identity == Identity(KEY, "us-west-2", "rekognition")
