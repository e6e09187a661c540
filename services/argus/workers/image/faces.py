"""Face operations on the image workers: IndexFaces, SearchFacesByImage, SearchFaces, CompareFaces.

Detection and embedding come from the model registry; stored faces live in the database
(:mod:`argus.core.db.faces`); search goes through the worker's vector indexes, which catch up
with the database before answering.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from argus.contracts.image import ImageTask
from argus.core.db import faces as repository
from argus.core.errors import InvalidParameterException
from argus.core.images import DecodedImage
from argus.core.models.registry import FACE_MODEL_VERSION, Task
from argus.vision.faces import quality_filter
from argus.vision.faces.blazeface import DetectedFace
from argus.vision.faces.similarity import cosine_for_similarity, similarities, similarity
from argus.workers.runtime import WorkerRuntime

NO_FACE = "There are no faces in the image. Should be at least 1."
MAX_COMPARE_TARGETS = 100
DEFAULT_MAX_MATCHES = 80
DUPLICATE_COSINE = 0.98
DUPLICATE_IOU = 0.7


@dataclass(frozen=True)
class Found:
    """A detected face: its FaceDetail and its detection (box and eye keypoints, for embedding)."""

    detail: dict[str, Any]
    detection: DetectedFace

    @property
    def area(self) -> float:
        return float(self.detail["BoundingBox"]["Width"] * self.detail["BoundingBox"]["Height"])


def detect(runtime: WorkerRuntime, image: DecodedImage, attributes: list[str] | None) -> list[Found]:
    analyzer = runtime.registry.get(Task.FACE_DETECTION)
    analyzed = analyzer.analyze(image.pixels, frozenset(attributes or ["DEFAULT"]))
    return [Found(detail=face.detail, detection=face.detection) for face in analyzed]


def embed(runtime: WorkerRuntime, image: DecodedImage, faces: list[Found]) -> np.ndarray:
    """One L2-normalised embedding per face, aligned upright by the eye keypoints, in one batch."""
    embedder = runtime.registry.get(Task.FACE_EMBEDDING)
    vectors: np.ndarray = embedder.embed_faces(image.pixels, [face.detection for face in faces])
    return vectors


def largest(faces: list[Found]) -> Found:
    return max(faces, key=lambda face: face.area)


def searchable_collection(runtime: WorkerRuntime, task: ImageTask) -> tuple[int, str]:
    """(primary key, face model version) of the task's collection; refuses another model version,
    so embeddings of different models are never compared or mixed in one collection."""
    with runtime.db.session() as session:
        collection = repository.find_collection(session, task.account_id, task.params["CollectionId"])
        collection_pk, version = collection.pk, collection.face_model_version
    if version != FACE_MODEL_VERSION:
        raise InvalidParameterException(
            f"The collection holds face model version {version}; this worker computes "
            f"{FACE_MODEL_VERSION}. Embeddings of different versions are never mixed in one collection."
        )
    return collection_pk, version


def iou(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    left, top = max(a["Left"], b["Left"]), max(a["Top"], b["Top"])
    right = min(a["Left"] + a["Width"], b["Left"] + b["Width"])
    bottom = min(a["Top"] + a["Height"], b["Top"] + b["Height"])
    inter = max(0.0, right - left) * max(0.0, bottom - top)
    union = a["Width"] * a["Height"] + b["Width"] * b["Height"] - inter
    return inter / union if union > 0 else 0.0


def index_faces(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params, image = task.params, images["Image"]
    searchable_collection(runtime, task)  # fail fast, before the models run
    faces = detect(runtime, image, params.get("DetectionAttributes"))
    level = params.get("QualityFilter") or "AUTO"
    unindexed: list[dict[str, Any]] = []
    candidates: list[Found] = []
    for face in faces:
        failed = quality_filter.reasons(face.detail, image.width, image.height, level)
        if failed:
            unindexed.append({"Reasons": failed, "FaceDetail": face.detail})
        else:
            candidates.append(face)
    max_faces = params.get("MaxFaces")
    if max_faces is not None and len(candidates) > max_faces:
        # Keep the best: drop the lowest quality first, then the smallest.
        ranked = sorted(
            candidates, key=lambda f: (quality_filter.quality_score(f.detail), f.area), reverse=True
        )
        dropped = ranked[max_faces:]
        unindexed.extend({"Reasons": ["EXCEEDS_MAX_FACES"], "FaceDetail": f.detail} for f in dropped)
        candidates = [face for face in candidates if face not in dropped]
    vectors = embed(runtime, image, candidates) if candidates else np.zeros((0, 0), np.float32)

    external_id = params.get("ExternalImageId")
    records: list[dict[str, Any]] = []
    with runtime.db.session() as session:
        collection = repository.collection_for_update(session, task.account_id, params["CollectionId"])
        existing = repository.faces_of_image(session, collection, external_id) if external_id else []
        new_faces: list[repository.NewFace] = []
        placement: list[tuple[Found, Any]] = []  # (face, existing row or index into new_faces)
        for face, vector in zip(candidates, vectors, strict=True):
            duplicate = next(
                (
                    row
                    for row in existing
                    if float(np.dot(repository.embedding_of(row), vector)) >= DUPLICATE_COSINE
                    and iou(repository.face_record(row)["BoundingBox"], face.detail["BoundingBox"])  # type: ignore[arg-type]
                    >= DUPLICATE_IOU
                ),
                None,
            )
            if duplicate is not None:
                placement.append((face, duplicate))
            else:
                placement.append((face, len(new_faces)))
                new_faces.append(
                    repository.NewFace(face.detail["BoundingBox"], face.detail["Confidence"], vector)
                )
        image_id = existing[0].image_id if existing else uuid.uuid4()
        rows = repository.add_faces(session, collection, new_faces, external_id, FACE_MODEL_VERSION, image_id)
        for face, where in placement:
            row = rows[where] if isinstance(where, int) else where
            records.append({"Face": repository.face_record(row), "FaceDetail": face.detail})
        model_version = collection.face_model_version
    return {"FaceRecords": records, "FaceModelVersion": model_version, "UnindexedFaces": unindexed}


def matches(
    runtime: WorkerRuntime,
    collection_pk: int,
    query: np.ndarray,
    limit: int,
    threshold: float,
    exclude: int | None,
) -> list[dict[str, Any]]:
    """FaceMatches for one query vector, most similar first, skipping faces deleted meanwhile."""
    sims, seqs = runtime.indexes.search(
        collection_pk, query[None, :], limit + (exclude is not None), cosine_for_similarity(threshold)
    )
    found = [(float(s), int(q)) for s, q in zip(sims[0], seqs[0], strict=True) if q >= 0 and q != exclude]
    with runtime.db.session() as session:
        rows = repository.faces_by_seq(session, collection_pk, [seq for _, seq in found])
    result = []
    for _, seq in found[:limit]:
        if seq in rows:  # re-scored exactly from the stored vector
            score = similarity(query, repository.embedding_of(rows[seq]))
            if score >= threshold:
                result.append({"Similarity": score, "Face": repository.face_record(rows[seq])})
    return sorted(result, key=lambda match: match["Similarity"], reverse=True)


def search_faces_by_image(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params, image = task.params, images["Image"]
    collection_pk, model_version = searchable_collection(runtime, task)
    faces = detect(runtime, image, None)
    if not faces:
        raise InvalidParameterException(NO_FACE)
    face = largest(faces)
    if quality_filter.reasons(face.detail, image.width, image.height, params.get("QualityFilter") or "NONE"):
        raise InvalidParameterException(
            "The largest face in the image does not pass the requested QualityFilter."
        )
    query = embed(runtime, image, [face])[0]
    threshold = float(params.get("FaceMatchThreshold", 80.0))
    return {
        "SearchedFaceBoundingBox": face.detail["BoundingBox"],
        "SearchedFaceConfidence": face.detail["Confidence"],
        "FaceMatches": matches(
            runtime,
            collection_pk,
            query,
            params.get("MaxFaces") or DEFAULT_MAX_MATCHES,
            threshold,
            exclude=None,
        ),
        "FaceModelVersion": model_version,
    }


def search_faces(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params = task.params
    not_found = InvalidParameterException("faceId was not found in the collection.")
    try:
        face_id = uuid.UUID(params["FaceId"])
    except ValueError as error:
        raise not_found from error
    with runtime.db.session() as session:
        collection = repository.find_collection(session, task.account_id, params["CollectionId"])
        face = repository.face_by_id(session, collection, face_id)
        if face is None:
            raise not_found
        query, seq = repository.embedding_of(face).copy(), face.seq
        collection_pk, model_version = collection.pk, collection.face_model_version
    threshold = float(params.get("FaceMatchThreshold", 80.0))
    return {
        "SearchedFaceId": str(face_id),
        "FaceMatches": matches(
            runtime,
            collection_pk,
            query,
            params.get("MaxFaces") or DEFAULT_MAX_MATCHES,
            threshold,
            exclude=seq,
        ),
        "FaceModelVersion": model_version,
    }


def compared_face(detail: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("BoundingBox", "Confidence", "Landmarks", "Pose", "Quality", "Emotions", "Smile")
    return {key: detail[key] for key in keep if key in detail}


def compare_faces(
    runtime: WorkerRuntime, task: ImageTask, images: Mapping[str, DecodedImage]
) -> dict[str, Any]:
    params = task.params
    level = params.get("QualityFilter") or "NONE"
    source_image, target_image = images["SourceImage"], images["TargetImage"]
    sources = [
        f
        for f in detect(runtime, source_image, None)
        if not quality_filter.reasons(f.detail, source_image.width, source_image.height, level)
    ]
    if not sources:
        raise InvalidParameterException("There are no faces in the source image that pass the QualityFilter.")
    targets = [
        f
        for f in detect(runtime, target_image, None)
        if not quality_filter.reasons(f.detail, target_image.width, target_image.height, level)
    ]
    if not targets:
        raise InvalidParameterException("There are no faces in the target image that pass the QualityFilter.")
    targets = sorted(targets, key=lambda face: face.area, reverse=True)[:MAX_COMPARE_TARGETS]
    source = largest(sources)
    query = embed(runtime, source_image, [source])[0]
    scores = similarities(query, embed(runtime, target_image, targets))
    threshold = float(params.get("SimilarityThreshold", 80.0))
    matched, unmatched = [], []
    for face, score in sorted(
        zip(targets, scores, strict=True), key=lambda pair: float(pair[1]), reverse=True
    ):
        if float(score) >= threshold:
            matched.append({"Similarity": float(score), "Face": compared_face(face.detail)})
        else:
            unmatched.append(compared_face(face.detail))
    return {
        "SourceImageFace": {
            "BoundingBox": source.detail["BoundingBox"],
            "Confidence": source.detail["Confidence"],
        },
        "FaceMatches": matched,
        "UnmatchedFaces": unmatched,
    }
