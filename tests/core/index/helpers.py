"""Synthetic face embeddings and database writes for the index tests (through the real repository)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select

from argus.core.db import faces as repository
from argus.core.db.engine import Database
from argus.core.db.models import Collection, Face

ACCOUNT = "123456789012"
MODEL = "6.0"
BOX = {"Left": 0.1, "Top": 0.2, "Width": 0.3, "Height": 0.4}


def unit(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    normed: NDArray[np.float32] = (vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)).astype(
        np.float32
    )
    return normed


def random_unit(n: int, seed: int, dim: int = 128) -> NDArray[np.float32]:
    return unit(np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32))


def clustered(identities: int, per_identity: int, seed: int, dim: int = 128) -> NDArray[np.float32]:
    """Faces of many people: same person cosine ~0.9, different people ~0.1-0.4 (like dlib's)."""
    rng = np.random.default_rng(seed)
    common = unit(rng.standard_normal(dim).astype(np.float32))
    groups = unit(rng.standard_normal((16, dim)).astype(np.float32))
    centres = unit(
        0.45 * common
        + 0.35 * groups[rng.integers(0, len(groups), identities)]
        + 0.8 * unit(rng.standard_normal((identities, dim)).astype(np.float32))
    )
    who = np.repeat(np.arange(identities), per_identity)
    noise = rng.standard_normal((len(who), dim)).astype(np.float32) * (0.333 / np.sqrt(dim))
    return unit(centres[who] + noise)


def exact_top(
    base: NDArray[np.float32], seqs: NDArray[np.int64], queries: NDArray[np.float32], k: int
) -> NDArray[np.int64]:
    sims = queries @ base.T
    return seqs[np.argsort(-sims, axis=1, kind="stable")[:, :k]]


def recall(found: NDArray[np.int64], truth: NDArray[np.int64]) -> float:
    hits = sum(len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, truth, strict=True))
    return hits / truth.size


def create_collection(db: Database, name: str = "faces", model: str = MODEL) -> int:
    with db.session() as session:
        collection = Collection(account_id=ACCOUNT, collection_id=name, face_model_version=model)
        session.add(collection)
        session.flush()
        return collection.pk


def add_faces(db: Database, name: str, vectors: NDArray[np.float32]) -> list[tuple[uuid.UUID, int]]:
    """One IndexFaces: (face_id, seq) of each vector, in order."""
    with db.session() as session:
        collection = repository.collection_for_update(session, ACCOUNT, name)
        rows = repository.add_faces(
            session, collection, [repository.NewFace(BOX, 99.0, vector) for vector in vectors], None, MODEL
        )
        return [(row.face_id, row.seq) for row in rows]


def delete_faces(db: Database, name: str, face_ids: Sequence[uuid.UUID]) -> None:
    """One DeleteFaces."""
    with db.session() as session:
        collection = repository.collection_for_update(session, ACCOUNT, name)
        repository.delete_faces(session, collection, list(face_ids))


def faces_version(db: Database, pk: int) -> int:
    with db.session() as session:
        collection = session.get(Collection, pk)
        assert collection is not None
        return collection.faces_version


def live_seqs(db: Database, pk: int) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(Face.seq).where(Face.collection_pk == pk)))
