"""aws-chunked request bodies: signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) and unsigned
chunks with a trailing checksum (STREAMING-UNSIGNED-PAYLOAD-TRAILER), built per the SigV4 spec."""

from __future__ import annotations

import base64
import hashlib
import hmac
import xml.etree.ElementTree as ElementTree
import zlib
from datetime import UTC, datetime
from typing import Any

import httpx
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tests.gateway.s3.conftest import ACCESS_KEY, REGION, SECRET_KEY, Gateway

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def _signed_headers(url: str, content_sha256: str, extra: dict[str, str]) -> dict[str, str]:
    request = AWSRequest(method="PUT", url=url, headers={"X-Amz-Content-SHA256": content_sha256, **extra})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION).add_auth(request)
    return dict(request.headers.items())


def _key(date: str) -> bytes:
    key = f"AWS4{SECRET_KEY}".encode()
    for part in (date, REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _signed_chunks(chunks: list[bytes], headers: dict[str, str], corrupt: bool = False) -> bytes:
    amz_date = headers["X-Amz-Date"]
    previous = headers["Authorization"].rpartition("Signature=")[2]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    body = b""
    for chunk in [*chunks, b""]:
        string_to_sign = "\n".join(
            [
                "AWS4-HMAC-SHA256-PAYLOAD",
                amz_date,
                scope,
                previous,
                EMPTY_SHA256,
                hashlib.sha256(chunk).hexdigest(),
            ]
        )
        signature = hmac.new(_key(amz_date[:8]), string_to_sign.encode(), hashlib.sha256).hexdigest()
        if corrupt and chunk:
            signature = "0" * 64
        body += f"{len(chunk):x};chunk-signature={signature}\r\n".encode() + chunk + b"\r\n"
        previous = signature
    return body


def _put_signed_chunks(
    gateway: Gateway, bucket: str, key: str, chunks: list[bytes], corrupt: bool
) -> httpx.Response:
    url = f"{gateway.endpoint}/{bucket}/{key}"
    decoded = sum(len(chunk) for chunk in chunks)
    headers = _signed_headers(
        url,
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        {"Content-Encoding": "aws-chunked", "X-Amz-Decoded-Content-Length": str(decoded)},
    )
    return httpx.put(url, content=_signed_chunks(chunks, headers, corrupt), headers=headers)


def test_signed_chunks_are_verified_and_stored_decoded(gateway: Gateway, s3: Any, bucket: str) -> None:
    chunks = [b"a" * 65536, b"b" * 1000]
    response = _put_signed_chunks(gateway, bucket, "chunked.bin", chunks, corrupt=False)
    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == f'"{hashlib.md5(b"".join(chunks)).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="chunked.bin")["Body"].read() == b"".join(chunks)


def test_a_chunk_with_a_wrong_signature_is_refused(gateway: Gateway, s3: Any, bucket: str) -> None:
    response = _put_signed_chunks(gateway, bucket, "bad.bin", [b"data"], corrupt=True)
    assert response.status_code == 403
    assert ElementTree.fromstring(response.content).findtext("Code") == "SignatureDoesNotMatch"
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def _put_trailer(gateway: Gateway, bucket: str, key: str, data: bytes, crc: bytes) -> httpx.Response:
    url = f"{gateway.endpoint}/{bucket}/{key}"
    headers = _signed_headers(
        url,
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        {
            "Content-Encoding": "aws-chunked",
            "X-Amz-Decoded-Content-Length": str(len(data)),
            "X-Amz-Trailer": "x-amz-checksum-crc32",
        },
    )
    checksum = base64.b64encode(crc).decode()
    body = f"{len(data):x}\r\n".encode() + data + f"\r\n0\r\nx-amz-checksum-crc32:{checksum}\r\n\r\n".encode()
    return httpx.put(url, content=body, headers=headers)


def test_unsigned_chunks_with_a_trailing_crc32_are_stored(gateway: Gateway, s3: Any, bucket: str) -> None:
    data = b"trailer checked " * 100
    response = _put_trailer(gateway, bucket, "t.bin", data, zlib.crc32(data).to_bytes(4, "big"))
    assert response.status_code == 200, response.text
    assert s3.get_object(Bucket=bucket, Key="t.bin")["Body"].read() == data


def test_a_trailing_crc32_that_does_not_match_is_bad_digest(gateway: Gateway, bucket: str) -> None:
    response = _put_trailer(gateway, bucket, "t.bin", b"some data", b"\x00\x00\x00\x00")
    assert response.status_code == 400
    assert ElementTree.fromstring(response.content).findtext("Code") == "BadDigest"


def test_the_signed_request_is_refused_once_the_clock_skew_is_too_large(gateway: Gateway) -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC).strftime("%Y%m%dT%H%M%SZ")
    request = AWSRequest(
        method="GET", url=gateway.endpoint, headers={"X-Amz-Content-SHA256": EMPTY_SHA256, "X-Amz-Date": old}
    )
    request.context["timestamp"] = old
    signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION)
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    request.headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{old[:8]}/{REGION}/s3/aws4_request, "
        f"SignedHeaders={signer.signed_headers(signer.headers_to_sign(request))}, Signature={signature}"
    )
    response = httpx.get(gateway.endpoint, headers=dict(request.headers.items()))
    assert response.status_code == 403
    assert ElementTree.fromstring(response.content).findtext("Code") == "RequestTimeTooSkewed"
