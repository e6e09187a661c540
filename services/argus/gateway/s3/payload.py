"""Request bodies streamed to a file while they are checked, never held whole in memory.

``X-Amz-Content-SHA256`` says how the payload is protected; the forms botocore and the AWS CLI
send, and the ones other SDKs use, are all read:

* a hex SHA-256 (botocore over plain HTTP signs the payload): the streamed body must match;
* ``UNSIGNED-PAYLOAD`` (botocore over HTTPS): nothing to compare;
* ``STREAMING-AWS4-HMAC-SHA256-PAYLOAD`` (aws-chunked, each chunk signed, chained from the
  request's signature);
* ``STREAMING-UNSIGNED-PAYLOAD-TRAILER`` (aws-chunked with a trailing checksum; botocore's form
  for streaming uploads over HTTPS).

An ``x-amz-checksum-crc32|sha1|sha256`` value (header or trailer) and ``Content-MD5`` are
checked too. The MD5 of the decoded body is the ETag S3 answers with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tempfile
import zlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from argus.gateway.s3.auth import Caller
from argus.gateway.s3.errors import (
    BadDigest,
    EntityTooLarge,
    IncompleteBody,
    InvalidArgument,
    InvalidRequest,
    NotImplementedS3,
    SignatureDoesNotMatch,
    XAmzContentSHA256Mismatch,
)

UNSIGNED = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_MAX_CHUNK_HEADER = 4096


class _Checksum(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...


class _Crc32:
    def __init__(self) -> None:
        self.value = 0

    def update(self, data: bytes, /) -> None:
        self.value = zlib.crc32(data, self.value)

    def digest(self) -> bytes:
        return self.value.to_bytes(4, "big")


def _checksum(algorithm: str) -> _Checksum | None:
    if algorithm == "crc32":
        return _Crc32()
    if algorithm in ("sha1", "sha256"):
        return hashlib.new(algorithm)
    return None  # crc32c / crc64nvme: not verified here


@dataclass(frozen=True)
class Received:
    path: Path
    size: int
    md5: str  # hex


class ChunkedDecoder:
    """aws-chunked: ``<hex size>[;chunk-signature=<sig>]\\r\\n<data>\\r\\n`` ... ``0...\\r\\n``,
    then optional trailer lines and a blank line. Chunk signatures are verified when a caller
    is given (the signed form)."""

    def __init__(self, caller: Caller | None) -> None:
        self._caller = caller
        self._previous = caller.identity.signature if caller else ""
        self._buffer = bytearray()
        self._pending: tuple[int, str] | None = None  # (size, signature) of the chunk being read
        self.finished = False
        self.trailers: dict[str, str] = {}
        self._in_trailer = False

    def feed(self, data: bytes) -> list[bytes]:
        self._buffer += data
        out: list[bytes] = []
        while not self.finished:
            if self._in_trailer:
                if not self._read_trailer_line():
                    break
                continue
            if self._pending is None:
                end = self._buffer.find(b"\r\n")
                if end < 0:
                    if len(self._buffer) > _MAX_CHUNK_HEADER:
                        raise InvalidRequest("Malformed aws-chunked body: chunk header too long")
                    break
                self._pending = self._parse_header(bytes(self._buffer[:end]))
                del self._buffer[: end + 2]
            size, signature = self._pending
            if size == 0:
                self._check_signature(b"", signature)
                self._pending = None
                self._in_trailer = True
                continue
            if len(self._buffer) < size + 2:
                break
            chunk = bytes(self._buffer[:size])
            if self._buffer[size : size + 2] != b"\r\n":
                raise InvalidRequest("Malformed aws-chunked body: chunk data not followed by CRLF")
            del self._buffer[: size + 2]
            self._check_signature(chunk, signature)
            self._pending = None
            out.append(chunk)
        return out

    def _parse_header(self, line: bytes) -> tuple[int, str]:
        size_text, _, extension = line.decode("ascii", "replace").partition(";")
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise InvalidRequest("Malformed aws-chunked body: bad chunk size") from None
        signature = ""
        if extension.startswith("chunk-signature="):
            signature = extension.removeprefix("chunk-signature=").strip()
        if self._caller is not None and not signature:
            raise SignatureDoesNotMatch("Every chunk of a signed aws-chunked body needs a chunk-signature")
        return size, signature

    def _check_signature(self, chunk: bytes, signature: str) -> None:
        if self._caller is None:
            return
        string_to_sign = "\n".join(
            (
                "AWS4-HMAC-SHA256-PAYLOAD",
                self._caller.identity.amz_date,
                self._caller.scope,
                self._previous,
                _EMPTY_SHA256,
                hashlib.sha256(chunk).hexdigest(),
            )
        )
        expected = hmac.new(self._caller.key, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise SignatureDoesNotMatch(
                "The chunk signature we calculated does not match the chunk-signature you provided."
            )
        self._previous = signature

    def _read_trailer_line(self) -> bool:
        end = self._buffer.find(b"\r\n")
        if end < 0:
            return False
        line = bytes(self._buffer[:end]).decode("ascii", "replace")
        del self._buffer[: end + 2]
        if not line:
            self.finished = True
        else:
            name, _, value = line.partition(":")
            self.trailers[name.strip().lower()] = value.strip()
        return True

    def close(self) -> None:
        if self._in_trailer and not self._buffer:
            self.finished = True  # trailers may end without the final blank line
        if not self.finished:
            raise IncompleteBody("The aws-chunked body ended before its final chunk")


async def receive(
    chunks: AsyncIterator[bytes],
    headers: Mapping[str, str],
    caller: Caller,
    folder: Path,
    max_bytes: int,
) -> Received:
    """Stream the body into a new file under ``folder``; check its size, hashes and checksums."""
    mode = headers.get("x-amz-content-sha256", "").strip()
    chunked = mode in (STREAMING_SIGNED, STREAMING_UNSIGNED_TRAILER)
    if mode.startswith("STREAMING-") and not chunked:
        raise NotImplementedS3(f"x-amz-content-sha256 {mode} is not supported by the embedded S3 endpoint")
    if not chunked and mode != UNSIGNED and len(mode) != 64:
        raise InvalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-... or a SHA-256 hex")
    declared = headers.get("x-amz-decoded-content-length" if chunked else "content-length")
    expected_size = int(declared) if declared and declared.isdigit() else None
    if expected_size is not None and expected_size > max_bytes:
        raise EntityTooLarge(
            "Your proposed upload exceeds the maximum allowed size",
            ProposedSize=str(expected_size),
            MaxSizeAllowed=str(max_bytes),
        )
    decoder = ChunkedDecoder(caller if mode == STREAMING_SIGNED else None) if chunked else None
    md5 = hashlib.md5(usedforsecurity=False)
    sha256 = hashlib.sha256() if not chunked and mode != UNSIGNED else None
    algorithm, checksum = _declared_checksum(headers)

    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix="body-")
    path = Path(name)
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            async for raw in chunks:
                for data in decoder.feed(raw) if decoder else [raw]:
                    size += len(data)
                    if size > max_bytes:
                        raise EntityTooLarge(
                            "Your proposed upload exceeds the maximum allowed size",
                            MaxSizeAllowed=str(max_bytes),
                        )
                    handle.write(data)
                    md5.update(data)
                    if sha256 is not None:
                        sha256.update(data)
                    if checksum is not None:
                        checksum.update(data)
        if decoder is not None:
            decoder.close()
        if expected_size is not None and size != expected_size:
            raise IncompleteBody(
                f"You did not provide the number of bytes specified by the Content-Length HTTP header "
                f"({size} received, {expected_size} declared)"
            )
        if sha256 is not None and sha256.hexdigest() != mode:
            raise XAmzContentSHA256Mismatch(
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                ClientComputedContentSHA256=mode,
                S3ComputedContentSHA256=sha256.hexdigest(),
            )
        _check_digests(headers, decoder.trailers if decoder else {}, algorithm, checksum, md5.digest())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Received(path=path, size=size, md5=md5.hexdigest())


def _declared_checksum(headers: Mapping[str, str]) -> tuple[str | None, _Checksum | None]:
    algorithm = headers.get("x-amz-sdk-checksum-algorithm", "").strip().lower() or None
    if algorithm is None:
        trailer = headers.get("x-amz-trailer", "").strip().lower()
        if trailer.startswith("x-amz-checksum-"):
            algorithm = trailer.removeprefix("x-amz-checksum-")
    if algorithm is None:
        for candidate in ("crc32", "sha1", "sha256"):
            if f"x-amz-checksum-{candidate}" in headers:
                algorithm = candidate
    return algorithm, _checksum(algorithm) if algorithm else None


def _check_digests(
    headers: Mapping[str, str],
    trailers: Mapping[str, str],
    algorithm: str | None,
    checksum: _Checksum | None,
    md5: bytes,
) -> None:
    content_md5 = headers.get("content-md5")
    if content_md5 is not None and content_md5.strip() != base64.b64encode(md5).decode():
        raise BadDigest("The Content-MD5 you specified did not match what we received.")
    if algorithm is None or checksum is None:
        return
    name = f"x-amz-checksum-{algorithm}"
    declared = headers.get(name) or trailers.get(name)
    if declared is not None and declared.strip() != base64.b64encode(checksum.digest()).decode():
        raise BadDigest(f"The {algorithm.upper()} you specified did not match the calculated checksum.")
