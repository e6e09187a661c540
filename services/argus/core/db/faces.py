"""Faces in collections: the database side (the source of truth the vector indexes follow).

Every write takes the collection row for update, gives new faces the next sequence numbers,
bumps ``faces_version`` once and stamps the added faces or the tombstones of the deleted ones
with it. Two workers writing at once therefore serialise on the collection row, and a vector
index built at version V can catch up to any later version exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from argus.core.db.models import Collection, Face, FaceTombstone
from argus.core.errors import ResourceNotFoundException


@dataclass(frozen=True)
class NewFace:
    bounding_box: dict[str, float]  # Rekognition BoundingBox ratios
    confidence: float
    embedding: np.ndarray  # (dim,) float32, L2-normalised


def collection_for_update(session: Session, account_id: str, collection_id: str) -> Collection:
    collection = session.scalar(
        select(Collection)
        .where(Collection.account_id == account_id, Collection.collection_id == collection_id)
        .with_for_update()
    )
    if collection is None:
        raise ResourceNotFoundException(f"The collection id: {collection_id} does not exist")
    return collection


def find_collection(session: Session, account_id: str, collection_id: str) -> Collection:
    collection = session.scalar(
        select(Collection).where(
            Collection.account_id == account_id, Collection.collection_id == collection_id
        )
    )
    if collection is None:
        raise ResourceNotFoundException(f"The collection id: {collection_id} does not exist")
    return collection


def add_faces(
    session: Session,
    collection: Collection,
    faces: Sequence[NewFace],
    external_image_id: str | None,
    face_model_version: str,
    image_id: uuid.UUID | None = None,
) -> list[Face]:
    """Insert faces of one image (one ImageId) as one change of the collection."""
    if not faces:
        return []
    collection.faces_version += 1
    image_id = image_id or uuid.uuid4()
    rows = []
    for offset, face in enumerate(faces):
        box = face.bounding_box
        rows.append(
            Face(
                face_id=uuid.uuid4(),
                collection_pk=collection.pk,
                seq=collection.next_face_seq + offset,
                version=collection.faces_version,
                image_id=image_id,
                external_image_id=external_image_id,
                bbox_left=box["Left"],
                bbox_top=box["Top"],
                bbox_width=box["Width"],
                bbox_height=box["Height"],
                confidence=face.confidence,
                embedding=np.ascontiguousarray(face.embedding, dtype="<f4").tobytes(),
                face_model_version=face_model_version,
            )
        )
    collection.next_face_seq += len(faces)
    session.add_all(rows)
    session.flush()
    return rows


def delete_faces(session: Session, collection: Collection, face_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Delete the faces that exist; returns their ids. Leaves tombstones for the indexes."""
    found = session.execute(
        select(Face.face_id, Face.seq).where(Face.collection_pk == collection.pk, Face.face_id.in_(face_ids))
    ).all()
    if not found:
        return []
    collection.faces_version += 1
    session.execute(delete(Face).where(Face.face_id.in_([row.face_id for row in found])))
    session.add_all(
        FaceTombstone(collection_pk=collection.pk, seq=row.seq, version=collection.faces_version)
        for row in found
    )
    session.flush()
    deleted = {row.face_id for row in found}
    return [face_id for face_id in face_ids if face_id in deleted]


def faces_of_image(session: Session, collection: Collection, external_image_id: str) -> list[Face]:
    return list(
        session.scalars(
            select(Face)
            .where(Face.collection_pk == collection.pk, Face.external_image_id == external_image_id)
            .order_by(Face.seq)
        )
    )


def faces_by_seq(session: Session, collection_pk: int, seqs: Sequence[int]) -> dict[int, Face]:
    if not seqs:
        return {}
    rows = session.scalars(select(Face).where(Face.collection_pk == collection_pk, Face.seq.in_(list(seqs))))
    return {row.seq: row for row in rows}


def face_by_id(session: Session, collection: Collection, face_id: uuid.UUID) -> Face | None:
    return session.scalar(select(Face).where(Face.collection_pk == collection.pk, Face.face_id == face_id))


def count_faces(session: Session, collection_pk: int) -> int:
    return int(session.scalar(select(func.count()).where(Face.collection_pk == collection_pk)) or 0)


def embedding_of(face: Face) -> np.ndarray:
    return np.frombuffer(face.embedding, dtype="<f4")


def face_record(face: Face) -> dict[str, object]:
    """The Rekognition ``Face`` structure of a stored face."""
    record: dict[str, object] = {
        "FaceId": str(face.face_id),
        "BoundingBox": {
            "Width": face.bbox_width,
            "Height": face.bbox_height,
            "Left": face.bbox_left,
            "Top": face.bbox_top,
        },
        "ImageId": str(face.image_id),
        "Confidence": face.confidence,
        "IndexFacesModelVersion": face.face_model_version,
    }
    if face.external_image_id is not None:
        record["ExternalImageId"] = face.external_image_id
    return record
