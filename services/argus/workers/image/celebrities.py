"""RecognizeCelebrities on the image workers: faces of the image searched in the account's gallery.

Up to :data:`MAX_FACES` faces, the largest first, are detected (with Emotions and Smile, which
Rekognition's ComparedFace carries) and embedded in one batch, then searched together in the gallery
collection through the worker's vector index (:mod:`argus.celebrities.store`; the index catches up with
imports before answering). Each candidate is re-scored exactly from its stored vector on the calibrated
0-100 scale of :mod:`argus.vision.faces.similarity`; a face is that celebrity when its best score
reaches :data:`RECOGNITION_THRESHOLD`. A person appears at most once in a photo, so each celebrity goes
to the face that matches them best; a face whose celebrity went to a better match takes its next
candidate above the threshold, if any. Every other face is an UnrecognizedFaces entry. An account
without a gallery, or with an empty one, recognizes no one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from argus.celebrities import store
from argus.contracts.image import ImageTask
from argus.core.db import faces as repository
from argus.core.errors import ResourceNotFoundException
from argus.core.images import DecodedImage
from argus.core.models.registry import FACE_MODEL_VERSION
from argus.vision.faces.similarity import cosine_for_similarity, similarity
from argus.workers.image.faces import Found, compared_face, detect, embed
from argus.workers.runtime import WorkerRuntime

RECOGNITION_THRESHOLD = 90.0
"""Similarity (0-100, calibrated) a face needs with a gallery face to be recognized as that person."""
MAX_FACES = 64  # Rekognition recognizes up to 64 celebrities in an image: the largest faces
CANDIDATES = 10  # gallery faces fetched per face (a person usually has several photos)
ATTRIBUTES = ["DEFAULT", "EMOTIONS", "SMILE"]


def recognize_celebrities(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    image = images["Image"]
    faces = sorted(detect(runtime, image, ATTRIBUTES), key=lambda face: face.area, reverse=True)[:MAX_FACES]
    assigned = _recognize(runtime, task.account_id, image, faces) if faces else {}
    recognized, unrecognized = [], []
    for index, face in enumerate(faces):
        if index in assigned:
            score, info = assigned[index]
            recognized.append(
                {
                    "Urls": info["Urls"],
                    "Name": info["Name"],
                    "Id": info["Id"],
                    "Face": compared_face(face.detail),
                    "MatchConfidence": min(100.0, score),
                    "KnownGender": info["KnownGender"],
                }
            )
        else:
            unrecognized.append(compared_face(face.detail))
    return {"CelebrityFaces": recognized, "UnrecognizedFaces": unrecognized}


def _recognize(
    runtime: WorkerRuntime, account_id: str, image: DecodedImage, faces: list[Found]
) -> dict[int, tuple[float, dict[str, Any]]]:
    """``{face index: (MatchConfidence, celebrity info with Id)}`` of the recognized faces."""
    with runtime.db.session() as session:
        gallery = store.find_gallery(session, account_id)
        if gallery is None or gallery.face_model_version != FACE_MODEL_VERSION:
            return {}  # no gallery; one of another model is never compared (a re-import replaces it)
        gallery_pk = gallery.pk
    vectors = embed(runtime, image, faces)
    try:
        _, seqs = runtime.indexes.search(
            gallery_pk, vectors, CANDIDATES, cosine_for_similarity(RECOGNITION_THRESHOLD)
        )
    except ResourceNotFoundException:
        return {}  # an import replaced the gallery meanwhile (another face model version)
    with runtime.db.session() as session:
        rows = repository.faces_by_seq(session, gallery_pk, sorted({int(s) for s in seqs.ravel() if s >= 0}))
        people = store.celebrities_by_id(
            session, account_id, (row.external_image_id for row in rows.values() if row.external_image_id)
        )
        infos = {celebrity_id: store.info(person) for celebrity_id, person in people.items()}
    # Best exact score of each (face, celebrity) pair above the threshold.
    best: dict[tuple[int, str], float] = {}
    for index, face_seqs in enumerate(seqs):
        for seq in face_seqs:
            row = rows.get(int(seq))
            if row is None or row.external_image_id not in infos:
                continue  # no candidate, deleted meanwhile, or not a gallery person
            score = similarity(vectors[index], np.asarray(repository.embedding_of(row)))
            key = (index, row.external_image_id)
            if score >= RECOGNITION_THRESHOLD and score > best.get(key, -1.0):
                best[key] = score
    # Each celebrity to the face that matches them best, best pairs first.
    assigned: dict[int, tuple[float, dict[str, Any]]] = {}
    taken: set[str] = set()
    for (index, celebrity_id), score in sorted(best.items(), key=lambda pair: (-pair[1], pair[0])):
        if index in assigned or celebrity_id in taken:
            continue
        taken.add(celebrity_id)
        assigned[index] = (score, {"Id": celebrity_id, **infos[celebrity_id]})
    return assigned
