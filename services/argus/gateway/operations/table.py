"""Every Rekognition operation, and what serves it.

An operation maps to a handler, or to None while it is not built: those answer HTTP 501
instead of inventing a result. The table covers the whole service model shipped in botocore.
"""

from __future__ import annotations

from argus.gateway.operations import celebrities, collections, custom_labels, faces, images, video_jobs
from argus.gateway.operations.context import Handler

HANDLERS: dict[str, Handler] = {
    "CreateCollection": collections.create_collection,
    "DescribeCollection": collections.describe_collection,
    "ListCollections": collections.list_collections,
    "DeleteCollection": collections.delete_collection,
    "ListFaces": faces.list_faces,
    "DeleteFaces": faces.delete_faces_handler,
    "GetCelebrityInfo": celebrities.get_celebrity_info,
    # Image operations and face search run on the image workers (models and vector indexes).
    "DetectFaces": images.run_on_image_workers,
    "DetectLabels": images.run_on_image_workers,
    "CompareFaces": images.run_on_image_workers,
    "IndexFaces": images.run_on_image_workers,
    "SearchFaces": images.run_on_image_workers,
    "SearchFacesByImage": images.run_on_image_workers,
    "DetectModerationLabels": images.run_on_image_workers,
    "RecognizeCelebrities": images.run_on_image_workers,
    "DetectText": images.run_on_image_workers,
    "DetectProtectiveEquipment": images.run_on_image_workers,
    # Stored-video jobs and Custom Labels keep their own tables.
    **video_jobs.HANDLERS,
    **custom_labels.HANDLERS,
}


def handler_for(operation: str) -> Handler | None:
    return HANDLERS.get(operation)
