"""CreateCollection, DescribeCollection, ListCollections, DeleteCollection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from argus.core.arns import collection_arn
from argus.core.db.faces import count_faces, find_collection
from argus.core.db.models import Collection
from argus.core.errors import ResourceAlreadyExistsException
from argus.core.models.registry import FACE_MODEL_VERSION
from argus.gateway.operations.context import RequestContext
from argus.gateway.operations.pagination import decode_token, encode_token

DEFAULT_PAGE = 1000


def create_collection(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    collection_id = params["CollectionId"]
    try:
        with ctx.state.db.session() as session:
            session.add(
                Collection(
                    account_id=ctx.account_id,
                    collection_id=collection_id,
                    face_model_version=FACE_MODEL_VERSION,
                    tags=dict(params.get("Tags") or {}),
                )
            )
    except IntegrityError as exists:
        raise ResourceAlreadyExistsException(f"The collection id: {collection_id} already exists") from exists
    return {
        "StatusCode": 200,
        "CollectionArn": collection_arn(ctx.region, ctx.account_id, collection_id),
        "FaceModelVersion": FACE_MODEL_VERSION,
    }


def describe_collection(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        collection = find_collection(session, ctx.account_id, params["CollectionId"])
        face_count = count_faces(session, collection.pk)
    return {
        "FaceCount": face_count,
        "FaceModelVersion": collection.face_model_version,
        "CollectionARN": collection_arn(ctx.region, ctx.account_id, collection.collection_id),
        "CreationTimestamp": collection.created_at,
    }


def list_collections(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults") or DEFAULT_PAGE
    after = decode_token("ListCollections", params.get("NextToken"))
    query = select(Collection.collection_id, Collection.face_model_version).where(
        Collection.account_id == ctx.account_id
    )
    if after is not None:
        query = query.where(Collection.collection_id > after)
    with ctx.state.db.session() as session:
        rows = session.execute(query.order_by(Collection.collection_id).limit(limit + 1)).all()
    page = rows[:limit]
    response: dict[str, Any] = {
        "CollectionIds": [row.collection_id for row in page],
        "FaceModelVersions": [row.face_model_version for row in page],
    }
    if len(rows) > limit:
        response["NextToken"] = encode_token("ListCollections", page[-1].collection_id)
    return response


def delete_collection(ctx: RequestContext, params: Mapping[str, Any]) -> dict[str, Any]:
    with ctx.state.db.session() as session:
        collection = find_collection(session, ctx.account_id, params["CollectionId"])
        collection_pk = collection.pk
        session.delete(collection)
    ctx.state.indexes.drop(collection_pk)  # faces went with the rows (ON DELETE CASCADE)
    return {"StatusCode": 200}
