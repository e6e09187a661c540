"""Fetch and decode the images an image task names."""

from __future__ import annotations

import base64

from argus.contracts.image import ImageSource
from argus.core.errors import ImageTooLargeException, InvalidS3ObjectException
from argus.core.images import MAX_BYTES_S3, DecodedImage, decode_image
from argus.core.storage import ObjectNotFound, ObjectRef, ObjectStore, ObjectTooLarge

S3_UNREADABLE = "Unable to get object metadata from S3. Check object key, region and/or access permissions."


def load_image(source: ImageSource, store: ObjectStore) -> DecodedImage:
    if source.bytes_b64 is not None:
        return decode_image(base64.b64decode(source.bytes_b64))
    assert source.s3_object is not None
    ref = ObjectRef(source.s3_object.bucket, source.s3_object.name, source.s3_object.version)
    try:
        data = store.get(ref, max_bytes=MAX_BYTES_S3)
    except ObjectNotFound as missing:
        raise InvalidS3ObjectException(S3_UNREADABLE) from missing
    except ObjectTooLarge as large:
        raise ImageTooLargeException(
            f"Image size is too large: the S3 object is {large.size} bytes, the limit is {large.limit}"
        ) from large
    except Exception as error:  # access denied, unreachable endpoint, bad credentials ...
        raise InvalidS3ObjectException(f"{S3_UNREADABLE} ({type(error).__name__})") from error
    return decode_image(data)
