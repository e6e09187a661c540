"""Why a video cannot be analyzed, in words a Get* StatusMessage can carry."""

from __future__ import annotations


class UnreadableVideo(ValueError):
    """The bytes are not a video Argus can decode (corrupt, unsupported container, no video)."""
