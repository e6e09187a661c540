"""The S3 REST routes under ``/s3``: buckets, objects, listings and multipart uploads.

Every request is SigV4-signed for service ``s3``; bodies stream to ``<data_dir>/.s3-incoming``
and move into the local object store when complete. Errors are S3's XML ``<Error>`` documents
(HEAD answers carry no body, as in S3).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from argus.core.storage.base import ObjectNotFound, ObjectRef
from argus.core.storage.local import BucketNotEmpty as StoreBucketNotEmpty
from argus.core.storage.local import LocalObjectStore, ObjectInfo
from argus.gateway.s3 import listing, names, payload
from argus.gateway.s3.auth import Caller, authenticate
from argus.gateway.s3.errors import (
    BucketAlreadyOwnedByYou,
    BucketNotEmpty,
    InternalError,
    InvalidArgument,
    InvalidRange,
    MethodNotAllowed,
    NoSuchBucket,
    NoSuchKey,
    NotImplementedS3,
    PreconditionFailed,
    S3Error,
)
from argus.gateway.s3.multipart import MultipartUploads
from argus.gateway.s3.ranges import Unsatisfiable, byte_range
from argus.gateway.s3.xml import (
    Node,
    completed_parts,
    deleted_keys,
    document,
    error_document,
    http_date,
    iso8601,
)
from argus.gateway.state import GatewayState

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PREFIX = "/s3"
MAX_PUT_BYTES = 5 * 1024**3  # S3's limit for one PutObject and for one part
MAX_XML_BYTES = 1024 * 1024
DEFAULT_CONTENT_TYPE = "binary/octet-stream"  # what S3 stores when none is given
_READ_CHUNK = 1 << 20
_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
# query parameters this endpoint understands; any other subresource (?acl, ?tagging...) is 501
_KNOWN_QUERY = frozenset(
    {
        "list-type", "prefix", "delimiter", "max-keys", "continuation-token", "start-after", "encoding-type",
        "marker", "fetch-owner", "location", "uploads", "uploadId", "partNumber", "delete", "x-id",
        "response-content-type", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-cache-control", "response-expires",
    }
)  # fmt: skip


class _Call:
    """One S3 request: who made it, what it names, and where its files go."""

    def __init__(
        self, request: Request, caller: Caller, store: LocalObjectStore, state: GatewayState, request_id: str
    ) -> None:
        self.request = request
        self.caller = caller
        self.store = store
        data_dir = state.settings.resolved_data_dir
        self.incoming = data_dir / ".s3-incoming"
        self.uploads = MultipartUploads(data_dir / ".s3-multipart")
        self.request_id = request_id
        self.query = request.query_params


@router.api_route(PREFIX, methods=_METHODS)
@router.api_route(PREFIX + "/{path:path}", methods=_METHODS)
async def s3_endpoint(request: Request) -> Response:
    request_id = str(uuid.uuid4())
    bucket, key = _split(request.scope["path"])
    try:
        return await _handle(request, bucket, key, request_id)
    except S3Error as error:
        if error.status >= 500:
            log.warning("s3 request %s: %s %s", request_id, error.code, error.message)
        return _error_response(request, error, request_id)
    except Exception:
        log.exception("s3 request %s failed", request_id)
        return _error_response(
            request, InternalError("We encountered an internal error. Please try again."), request_id
        )


def _split(path: str) -> tuple[str, str | None]:
    rest = path.removeprefix(PREFIX).removeprefix("/")
    bucket, slash, key = rest.partition("/")
    return bucket, (key if slash and key else None)


def _error_response(request: Request, error: S3Error, request_id: str) -> Response:
    headers = {"x-amz-request-id": request_id}
    if request.method == "HEAD":
        return Response(status_code=error.status, headers=headers)
    body = error_document(error, request.scope["path"], request_id)
    return Response(body, status_code=error.status, media_type="application/xml", headers=headers)


def _raw_url(request: Request) -> str:
    """The URL as the client signed it: the percent-encoded path exactly as received."""
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    url = f"{request.url.scheme}://{request.url.netloc}{raw_path.decode('latin-1')}"
    return f"{url}?{query.decode('latin-1')}" if query else url


async def _handle(request: Request, bucket: str, key: str | None, request_id: str) -> Response:
    state: GatewayState = request.app.state.argus
    store = state.store
    if not isinstance(store, LocalObjectStore):
        raise NotImplementedS3("The embedded S3 endpoint serves only the local object store")
    caller = await run_in_threadpool(authenticate, state, request.method, _raw_url(request), request.headers)
    unknown = sorted(name for name in request.query_params if name not in _KNOWN_QUERY)
    if unknown:
        raise NotImplementedS3(f"The embedded S3 endpoint does not implement ?{unknown[0]}")
    call = _Call(request, caller, store, state, request_id)
    method = request.method
    if not bucket:
        if method == "GET":
            return await run_in_threadpool(_list_buckets, call)
        raise MethodNotAllowed("The specified method is not allowed against this resource.")
    names.check_bucket_name(bucket)
    if key is None:
        return await _bucket_operation(call, method, bucket)
    names.check_key(key)
    return await _object_operation(call, method, bucket, key)


# --- buckets ---------------------------------------------------------------------------------


async def _bucket_operation(call: _Call, method: str, bucket: str) -> Response:
    query = call.query
    if method == "PUT":
        await _drain(call)  # CreateBucketConfiguration (LocationConstraint): one local store, any region
        if not await run_in_threadpool(call.store.create_bucket, bucket):
            raise BucketAlreadyOwnedByYou(
                "Your previous request to create the named bucket succeeded and you already own it.",
                BucketName=bucket,
            )
        return _ok(call, headers={"Location": f"/{bucket}"})
    _require_bucket(call, bucket)
    if method == "HEAD":
        return _ok(call, headers={"x-amz-bucket-region": call.caller.identity.region})
    if method == "DELETE":
        try:
            await run_in_threadpool(call.store.delete_bucket, bucket)
        except StoreBucketNotEmpty:
            raise BucketNotEmpty("The bucket you tried to delete is not empty", BucketName=bucket) from None
        return _ok(call, status=204)
    if method == "GET":
        if "location" in query:
            return _xml(call, "LocationConstraint", [])  # empty: us-east-1, like a bucket created without one
        if "uploads" in query:
            raise NotImplementedS3("ListMultipartUploads is not implemented by the embedded S3 endpoint")
        return await run_in_threadpool(_list_objects, call, bucket)
    if method == "POST" and "delete" in query:
        return await _delete_objects(call, bucket)
    raise MethodNotAllowed("The specified method is not allowed against this resource.")


def _require_bucket(call: _Call, bucket: str) -> None:
    if not call.store.bucket_exists(bucket):
        raise NoSuchBucket("The specified bucket does not exist", BucketName=bucket)


def _owner(call: _Call) -> Node:
    return ("Owner", [("ID", call.caller.account_id), ("DisplayName", call.caller.account_id)])


def _list_buckets(call: _Call) -> Response:
    buckets: list[Node] = [
        ("Bucket", [("Name", bucket.name), ("CreationDate", iso8601(bucket.created))])
        for bucket in call.store.buckets()
        if bucket.name not in names.RESERVED_BUCKETS and names.bucket_name_problem(bucket.name) is None
    ]
    return _xml(call, "ListAllMyBucketsResult", [_owner(call), ("Buckets", buckets)])


def _list_objects(call: _Call, bucket: str) -> Response:
    query = call.query
    v2 = query.get("list-type") == "2"
    prefix = query.get("prefix", "")
    delimiter = query.get("delimiter", "")
    url_encoded = query.get("encoding-type") == "url"
    if query.get("encoding-type") not in (None, "url"):
        raise InvalidArgument("Invalid Encoding Method specified in Request", ArgumentName="encoding-type")
    limit = listing.max_keys(query.get("max-keys"))
    token = query.get("continuation-token") if v2 else None
    start_after = query.get("start-after", "") if v2 else query.get("marker", "")
    resume = listing.resume_after(token) if token else start_after
    found = listing.page(
        call.store.keys(bucket, prefix),
        prefix=prefix,
        delimiter=delimiter,
        start_after=resume,
        max_keys=limit,
    )

    def text(value: str) -> str:
        return quote(value, safe="/") if url_encoded else value

    contents: list[Node] = []
    for key in found.keys:
        try:
            info = call.store.stat(ObjectRef(bucket, key))
        except ObjectNotFound:  # deleted meanwhile, or a link that leads out of the bucket
            continue
        entry: list[Node] = [
            ("Key", text(key)),
            ("LastModified", iso8601(info.last_modified)),
            ("ETag", f'"{info.etag}"'),
            ("Size", info.size),
        ]
        if not v2 or query.get("fetch-owner") == "true":
            entry.append(_owner(call))
        entry.append(("StorageClass", "STANDARD"))
        contents.append(("Contents", entry))
    children: list[Node] = [("Name", bucket), ("Prefix", text(prefix))]
    if v2:
        if token:
            children.append(("ContinuationToken", token))
        if start_after:
            children.append(("StartAfter", text(start_after)))
        children.append(("KeyCount", len(found.keys) + len(found.common_prefixes)))
        if found.truncated and found.last is not None:
            children.append(("NextContinuationToken", listing.continuation_token(found.last)))
    else:
        children.append(("Marker", text(start_after)))
        if found.truncated and delimiter and found.last is not None:
            children.append(("NextMarker", text(found.last)))
    children.append(("MaxKeys", limit))
    if delimiter:
        children.append(("Delimiter", text(delimiter)))
    if url_encoded:
        children.append(("EncodingType", "url"))
    children.append(("IsTruncated", found.truncated))
    children += contents
    children += [("CommonPrefixes", [("Prefix", text(common))]) for common in found.common_prefixes]
    return _xml(call, "ListBucketResult", children)


async def _delete_objects(call: _Call, bucket: str) -> Response:
    keys, quiet = deleted_keys(await _small_body(call))
    results: list[Node] = []
    for key in keys:
        try:
            names.check_key(key)
            await run_in_threadpool(call.store.delete, ObjectRef(bucket, key))
        except S3Error as error:
            results.append(("Error", [("Key", key), ("Code", error.code), ("Message", error.message)]))
            continue
        if not quiet:
            results.append(("Deleted", [("Key", key)]))
    return _xml(call, "DeleteResult", results)


# --- objects ---------------------------------------------------------------------------------


async def _object_operation(call: _Call, method: str, bucket: str, key: str) -> Response:
    query = call.query
    _require_bucket(call, bucket)
    ref = ObjectRef(bucket, key)
    if method == "PUT":
        if "x-amz-copy-source" in call.request.headers:
            raise NotImplementedS3(
                "CopyObject and UploadPartCopy are not implemented by the embedded S3 endpoint"
            )
        if "uploadId" in query:
            return await _upload_part(call, bucket, key)
        return await _put_object(call, ref)
    if method in ("GET", "HEAD"):
        if "uploadId" in query:
            raise NotImplementedS3("ListParts is not implemented by the embedded S3 endpoint")
        return await run_in_threadpool(_get_object, call, ref, method == "HEAD")
    if method == "DELETE":
        if "uploadId" in query:
            upload = call.uploads.get(query["uploadId"], bucket, key)
            await run_in_threadpool(call.uploads.discard, upload.upload_id)
            return _ok(call, status=204)
        await run_in_threadpool(call.store.delete, ref)
        return _ok(call, status=204)
    if method == "POST":
        if "uploads" in query:
            await _drain(call)
            upload = await run_in_threadpool(
                call.uploads.create, bucket, key, _content_type(call), _user_metadata(call)
            )
            return _xml(
                call,
                "InitiateMultipartUploadResult",
                [("Bucket", bucket), ("Key", key), ("UploadId", upload.upload_id)],
            )
        if "uploadId" in query:
            return await _complete_upload(call, ref)
    raise MethodNotAllowed("The specified method is not allowed against this resource.")


def _content_type(call: _Call) -> str:
    return call.request.headers.get("content-type") or DEFAULT_CONTENT_TYPE


def _user_metadata(call: _Call) -> dict[str, str]:
    return {
        name.lower().removeprefix("x-amz-meta-"): value
        for name, value in call.request.headers.items()
        if name.lower().startswith("x-amz-meta-")
    }


async def _receive(call: _Call, max_bytes: int) -> payload.Received:
    return await payload.receive(
        call.request.stream(), call.request.headers, call.caller, call.incoming, max_bytes
    )


async def _drain(call: _Call) -> None:
    """Read (and check) a body this endpoint has no use for."""
    received = await _receive(call, MAX_XML_BYTES)
    received.path.unlink(missing_ok=True)


async def _small_body(call: _Call) -> bytes:
    received = await _receive(call, MAX_XML_BYTES)
    try:
        return received.path.read_bytes()
    finally:
        received.path.unlink(missing_ok=True)


async def _put_object(call: _Call, ref: ObjectRef) -> Response:
    received = await _receive(call, MAX_PUT_BYTES)
    try:
        info = await run_in_threadpool(
            lambda: call.store.put_file(
                ref,
                received.path,
                etag=received.md5,
                content_type=_content_type(call),
                metadata=_user_metadata(call),
            )
        )
    except ObjectNotFound:
        raise NoSuchBucket("The specified bucket does not exist", BucketName=ref.bucket) from None
    finally:
        received.path.unlink(missing_ok=True)
    return _ok(call, headers={"ETag": f'"{info.etag}"'})


async def _upload_part(call: _Call, bucket: str, key: str) -> Response:
    upload = call.uploads.get(call.query["uploadId"], bucket, key)
    try:
        number = int(call.query.get("partNumber", ""))
    except ValueError:
        raise InvalidArgument("Part number must be an integer", ArgumentName="partNumber") from None
    received = await _receive(call, MAX_PUT_BYTES)
    try:
        await run_in_threadpool(call.uploads.add_part, upload, number, received.path, received.md5)
    finally:
        received.path.unlink(missing_ok=True)
    return _ok(call, headers={"ETag": f'"{received.md5}"'})


async def _complete_upload(call: _Call, ref: ObjectRef) -> Response:
    upload = call.uploads.get(call.query["uploadId"], ref.bucket, ref.name)
    parts = completed_parts(await _small_body(call))
    assembled = await run_in_threadpool(call.uploads.assemble, upload, parts, call.incoming)
    try:
        info = await run_in_threadpool(
            lambda: call.store.put_file(
                ref,
                assembled.path,
                etag=assembled.etag,
                content_type=upload.content_type,
                metadata=upload.metadata,
            )
        )
    except ObjectNotFound:
        raise NoSuchBucket("The specified bucket does not exist", BucketName=ref.bucket) from None
    finally:
        assembled.path.unlink(missing_ok=True)
    await run_in_threadpool(call.uploads.discard, upload.upload_id)
    location = f"{call.request.base_url}{PREFIX.lstrip('/')}/{ref.bucket}/{quote(ref.name)}"
    return _xml(
        call,
        "CompleteMultipartUploadResult",
        [("Location", location), ("Bucket", ref.bucket), ("Key", ref.name), ("ETag", f'"{info.etag}"')],
    )


def _get_object(call: _Call, ref: ObjectRef, head: bool) -> Response:
    try:
        info = call.store.stat(ref)
        path = call.store.path_of(ref)
    except ObjectNotFound:
        raise NoSuchKey("The specified key does not exist.", Key=ref.name) from None
    headers = _object_headers(call, info)
    etag = headers["ETag"]
    if_match = call.request.headers.get("if-match")
    if if_match is not None and if_match.strip() not in (etag, "*"):
        raise PreconditionFailed(
            "At least one of the pre-conditions you specified did not hold", Condition="If-Match"
        )
    if_none_match = call.request.headers.get("if-none-match")
    if if_none_match is not None and if_none_match.strip() in (etag, "*"):
        return Response(status_code=304, headers={"ETag": etag, "x-amz-request-id": call.request_id})
    status, start, end = 200, 0, info.size
    requested = call.request.headers.get("range")
    if requested is not None:
        try:
            span = byte_range(requested, info.size)
        except Unsatisfiable:
            raise InvalidRange(
                "The requested range is not satisfiable",
                RangeRequested=requested,
                ActualObjectSize=str(info.size),
            ) from None
        if span is not None:
            start, end = span
            status = 206
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{info.size}"
    headers["Content-Length"] = str(end - start)
    if head:
        return Response(status_code=status, headers=headers)
    return StreamingResponse(_file_chunks(path, start, end), status_code=status, headers=headers)


def _object_headers(call: _Call, info: ObjectInfo) -> dict[str, str]:
    headers = {
        "ETag": f'"{info.etag}"',
        "Last-Modified": http_date(info.last_modified),
        "Content-Type": info.content_type,
        "Accept-Ranges": "bytes",
        "x-amz-request-id": call.request_id,
    }
    headers.update({f"x-amz-meta-{name}": value for name, value in info.metadata.items()})
    for name, value in call.query.items():
        if name.startswith("response-"):
            headers[name.removeprefix("response-").title()] = value
    return headers


def _file_chunks(path: Path, start: int, end: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        remaining = end - start
        while remaining > 0:
            chunk = handle.read(min(_READ_CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


# --- responses -------------------------------------------------------------------------------


def _ok(call: _Call, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, headers={"x-amz-request-id": call.request_id, **(headers or {})})


def _xml(call: _Call, root: str, children: list[Node]) -> Response:
    return Response(
        document(root, children),
        media_type="application/xml",
        headers={"x-amz-request-id": call.request_id},
    )
