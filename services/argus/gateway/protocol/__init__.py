"""AWS JSON 1.1 request validation and response encoding against botocore's Rekognition model."""

from argus.gateway.protocol.encoding import dumps, encode_output
from argus.gateway.protocol.validation import IMAGE_BYTES_LIMIT, service_model, validate_input

__all__ = ["IMAGE_BYTES_LIMIT", "dumps", "encode_output", "service_model", "validate_input"]
