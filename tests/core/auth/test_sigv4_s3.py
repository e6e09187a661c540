"""SigV4 for service ``s3``: the path is signed as sent, and the payload may be checked by the caller."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from argus.core.auth.sigv4 import Identity, signing_key, verify_request
from argus.core.errors import InvalidSignatureException

KEY, SECRET = "AKIAS3SIGV4TEST00000", "s3-secret"


def _secrets(access_key_id: str) -> str | None:
    return SECRET if access_key_id == KEY else None


def _signed(url: str, body: bytes, content_sha256: str | None = None) -> dict[str, str]:
    request = AWSRequest(method="PUT", url=url, data=body)
    S3SigV4Auth(Credentials(KEY, SECRET), "s3", "eu-west-1").add_auth(request)
    headers = dict(request.headers.items())
    if content_sha256 is not None:
        headers["X-Amz-Content-SHA256"] = content_sha256
    return headers


def _verify(url: str, headers: dict[str, str], body: bytes | None) -> Identity:
    return verify_request(
        method="PUT",
        url=url,
        headers=headers,
        body=body,
        secret_for=_secrets,
        now=datetime.now(UTC),
        service="s3",
    )


@pytest.mark.parametrize("path", ["/s3/media/a%20b/c%2Bd.txt", "/s3/media/x%2Fy", "/s3/media/caf%C3%A9.jpg"])
def test_an_s3_path_verifies_exactly_as_sent(path: str) -> None:
    url = f"http://127.0.0.1:8080{path}"
    identity = _verify(url, _signed(url, b"data"), b"data")
    assert identity == Identity(KEY, "eu-west-1", "s3")
    assert len(identity.signature) == 64 and identity.amz_date.startswith(identity.scope_date)


def test_without_the_body_the_signed_content_sha256_is_left_to_the_caller() -> None:
    url = "http://127.0.0.1:8080/s3/media/k"
    headers = _signed(url, b"streamed later")
    assert headers["X-Amz-Content-SHA256"] == hashlib.sha256(b"streamed later").hexdigest()
    assert _verify(url, headers, None).access_key_id == KEY


def test_s3_requests_need_x_amz_content_sha256() -> None:
    url = "http://127.0.0.1:8080/s3/media/k"
    headers = {name: value for name, value in _signed(url, b"").items() if name != "X-Amz-Content-SHA256"}
    with pytest.raises(InvalidSignatureException, match="x-amz-content-sha256"):
        _verify(url, headers, None)


def test_the_signing_key_is_the_sigv4_key_derivation() -> None:
    # the example from the AWS SigV4 documentation ("Examples of how to derive a signing key")
    key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_s3_requests_must_sign_x_amz_content_sha256() -> None:
    url = "http://127.0.0.1:8080/s3/media/k"
    headers = _signed(url, b"")
    headers["Authorization"] = headers["Authorization"].replace("x-amz-content-sha256;", "")
    with pytest.raises(InvalidSignatureException, match="x-amz-content-sha256"):
        _verify(url, headers, None)
