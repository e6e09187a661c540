"""AWS-shaped errors. Raise one anywhere; the gateway turns it into ``{"__type", "message"}``.

The code is the AWS error code boto3 maps to ``client.exceptions.<Code>``; the status is the
HTTP status AWS uses for it. Workers send errors back as ``(code, message)`` and the gateway
rebuilds the same exception with :func:`from_code`.
"""

from __future__ import annotations

from typing import ClassVar


class AwsError(Exception):
    code: ClassVar[str] = "InternalServerError"
    status: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_body(self) -> dict[str, str]:
        return {"__type": self.code, "message": self.message}


def _error(code: str, status: int) -> type[AwsError]:
    return type(code, (AwsError,), {"code": code, "status": status, "__module__": __name__})


# Client faults (400) modelled by the Rekognition service.
AccessDeniedException = _error("AccessDeniedException", 400)
ConflictException = _error("ConflictException", 400)
HumanLoopQuotaExceededException = _error("HumanLoopQuotaExceededException", 400)
IdempotentParameterMismatchException = _error("IdempotentParameterMismatchException", 400)
ImageTooLargeException = _error("ImageTooLargeException", 400)
InvalidImageFormatException = _error("InvalidImageFormatException", 400)
InvalidManifestException = _error("InvalidManifestException", 400)
InvalidPaginationTokenException = _error("InvalidPaginationTokenException", 400)
InvalidParameterException = _error("InvalidParameterException", 400)
InvalidS3ObjectException = _error("InvalidS3ObjectException", 400)
LimitExceededException = _error("LimitExceededException", 400)
ProvisionedThroughputExceededException = _error("ProvisionedThroughputExceededException", 400)
ResourceAlreadyExistsException = _error("ResourceAlreadyExistsException", 400)
ResourceInUseException = _error("ResourceInUseException", 400)
ResourceNotFoundException = _error("ResourceNotFoundException", 400)
ResourceNotReadyException = _error("ResourceNotReadyException", 400)
ServiceQuotaExceededException = _error("ServiceQuotaExceededException", 400)
VideoTooLargeException = _error("VideoTooLargeException", 400)

# Protocol-level client faults every AWS JSON service shares.
ValidationException = _error("ValidationException", 400)
SerializationException = _error("SerializationException", 400)
UnknownOperationException = _error("UnknownOperationException", 400)
IncompleteSignatureException = _error("IncompleteSignatureException", 400)
InvalidSignatureException = _error("InvalidSignatureException", 403)
UnrecognizedClientException = _error("UnrecognizedClientException", 403)
MissingAuthenticationTokenException = _error("MissingAuthenticationTokenException", 403)

# Server faults.
InternalServerError = _error("InternalServerError", 500)
NotImplementedYet = _error("NotImplemented", 501)
ThrottlingException = _error("ThrottlingException", 400)

_BY_CODE: dict[str, type[AwsError]] = {
    cls.code: cls
    for cls in list(globals().values())
    if isinstance(cls, type) and issubclass(cls, AwsError) and cls is not AwsError
}


def from_code(code: str, message: str) -> AwsError:
    """Rebuild an error sent across a process boundary; unknown codes become server faults."""
    cls = _BY_CODE.get(code, InternalServerError)
    return cls(message)
