"""ListFaces and DeleteFaces: answered from the database (the vector indexes follow it)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from argus.core.db.faces import collection_for_update, delete_faces, face_record, find_collection
from argus.core.db.models import Face
from argus.gateway.operations.context import RequestContext
from argus.gateway.operations.pagination import decode_token, encode_token

DEFAULT_PAGE = 1000


def parse_face_ids(face_ids: list[str]) -> tuple[list[uuid.UUID], list[str]]:
    """Valid UUIDs, and the strings that are not (those cannot name a stored face)."""
    parsed, invalid = [], []
    for text in face_ids:
        try:
            parsed.append(uuid.UUID(text))
        except ValueError:
            invalid.append(text)
    return parsed, invalid


def list_faces(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults") or DEFAULT_PAGE
    after = decode_token("ListFaces", params.get("NextToken"))
    with ctx.state.db.session() as session:
        collection = find_collection(session, ctx.account_id, params["CollectionId"])
        query = select(Face).where(Face.collection_pk == collection.pk)
        if after is not None:
            query = query.where(Face.seq > int(after))
        if params.get("FaceIds"):
            wanted, _ = parse_face_ids(params["FaceIds"])
            query = query.where(Face.face_id.in_(wanted))
        rows = list(session.scalars(query.order_by(Face.seq).limit(limit + 1)))
        response: dict[str, Any] = {
            "Faces": [face_record(face) for face in rows[:limit]],
            "FaceModelVersion": collection.face_model_version,
        }
    if len(rows) > limit:
        response["NextToken"] = encode_token("ListFaces", str(rows[limit - 1].seq))
    return response


def delete_faces_handler(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    requested, invalid = parse_face_ids(params["FaceIds"])
    with ctx.state.db.session() as session:
        collection = collection_for_update(session, ctx.account_id, params["CollectionId"])
        deleted = delete_faces(session, collection, requested)
    missing = [str(face_id) for face_id in requested if face_id not in set(deleted)] + invalid
    response: dict[str, Any] = {"DeletedFaces": [str(face_id) for face_id in deleted]}
    if missing:
        response["UnsuccessfulFaceDeletions"] = [
            {"FaceId": face_id, "Reasons": ["FACE_NOT_FOUND"]} for face_id in missing
        ]
    return response
