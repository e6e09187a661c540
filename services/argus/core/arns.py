"""Amazon Resource Names for Argus resources, in the form AWS returns them."""

from __future__ import annotations


def collection_arn(region: str, account_id: str, collection_id: str) -> str:
    return f"arn:aws:rekognition:{region}:{account_id}:collection/{collection_id}"
