"""An S3-compatible endpoint under ``/s3`` over the embedded mode's local object store.

Path-style requests only (``/s3/<bucket>/<key>``), authenticated with SigV4 like the
Rekognition endpoint, answered in S3's REST XML. See ``docs/embedded-s3.md``.
"""

from argus.gateway.s3.router import router

__all__ = ["router"]
