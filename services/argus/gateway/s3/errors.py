"""S3's error codes, with the HTTP status S3 answers each with."""

from __future__ import annotations

from typing import ClassVar


class S3Error(Exception):
    code: ClassVar[str] = "InternalError"
    status: ClassVar[int] = 500

    def __init__(self, message: str, **fields: str) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields  # extra elements of the <Error> document (BucketName, Key, UploadId...)


def _error(code: str, status: int) -> type[S3Error]:
    return type(code, (S3Error,), {"code": code, "status": status})


AccessDenied = _error("AccessDenied", 403)
AuthorizationHeaderMalformed = _error("AuthorizationHeaderMalformed", 400)
BadDigest = _error("BadDigest", 400)
BucketAlreadyOwnedByYou = _error("BucketAlreadyOwnedByYou", 409)
BucketNotEmpty = _error("BucketNotEmpty", 409)
EntityTooLarge = _error("EntityTooLarge", 400)
EntityTooSmall = _error("EntityTooSmall", 400)
IncompleteBody = _error("IncompleteBody", 400)
InternalError = _error("InternalError", 500)
InvalidAccessKeyId = _error("InvalidAccessKeyId", 403)
InvalidArgument = _error("InvalidArgument", 400)
InvalidBucketName = _error("InvalidBucketName", 400)
InvalidPart = _error("InvalidPart", 400)
InvalidPartOrder = _error("InvalidPartOrder", 400)
InvalidRange = _error("InvalidRange", 416)
InvalidRequest = _error("InvalidRequest", 400)
KeyTooLongError = _error("KeyTooLongError", 400)
MalformedXML = _error("MalformedXML", 400)
MethodNotAllowed = _error("MethodNotAllowed", 405)
NoSuchBucket = _error("NoSuchBucket", 404)
NoSuchKey = _error("NoSuchKey", 404)
NoSuchUpload = _error("NoSuchUpload", 404)
NotImplementedS3 = _error("NotImplemented", 501)
PreconditionFailed = _error("PreconditionFailed", 412)
RequestTimeTooSkewed = _error("RequestTimeTooSkewed", 403)
SignatureDoesNotMatch = _error("SignatureDoesNotMatch", 403)
XAmzContentSHA256Mismatch = _error("XAmzContentSHA256Mismatch", 400)
