"""Rekognition's 0-100 face ``Similarity`` from two embeddings, calibrated on real labelled pairs.

The embeddings (:mod:`.embedding`) are L2-normalised, so the cosine ``c`` of two of them and their
euclidean distance ``d`` are tied by ``d = sqrt(2 - 2c)``. The score is a logistic function of ``d``::

    similarity(d) = 100 / (1 + exp(SLOPE * (d - DISTANCE_AT_80)) / 4)

that is ``logit(similarity / 100) = ln 4 - SLOPE * (d - DISTANCE_AT_80)``. It falls strictly from
100 (identical faces) as ``d`` grows, is exactly 80 at ``DISTANCE_AT_80`` and 99 at
``DISTANCE_AT_99``. 80 is Rekognition's default ``SimilarityThreshold`` / ``FaceMatchThreshold``.

The fit (``bench/face_verification.py --fit`` prints it): BlazeFace + 5-point alignment + dlib ResNet on
the shared test photos (``shared/data/faces``: 24 faces of 6 named people, 18 single-person photos and
the faces of 3 two-person photos; 43 same-person and 189 different-person pairs). The distances of each
class were modelled as normal with one pooled standard deviation (the mean of the two class variances,
so both classes weigh the same whatever their pair counts). The log-likelihood ratio of "same person"
against "different people" is then linear in ``d``: ``SLOPE * (midpoint - d)`` with ``midpoint`` the
mean of the two class means and ``SLOPE = (mean_different - mean_same) / variance``. The score puts
that ratio through a logistic with 4:1 odds in favour of "same", so that equal likelihoods score 80::

    same pairs:      mean d 0.2563, sd 0.0589 (n = 43)
    different pairs: mean d 0.5962, sd 0.0522 (n = 189)
    pooled variance 0.003095 -> SLOPE 109.8, DISTANCE_AT_80 = midpoint 0.4262 (cosine 0.9092)

Leaving out each person in turn moves DISTANCE_AT_80 within 0.418-0.448 and SLOPE within 97-161.

Cross-check: dlib's own rule, raw (unnormalised) distance below 0.6, becomes about 0.6 / 1.41 = 0.426 on
the unit vectors (1.41 is the median norm of dlib's raw vectors on these photos, range 1.31-1.60).
See docs/face-similarity.md for the score distributions, accuracy and EER on these pairs.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Fitted constants (see the module docstring).
DISTANCE_AT_80 = 0.4262
SLOPE = 109.8

_LOGIT_80 = math.log(4.0)  # logit(0.8)


def distance_for_similarity(score: float) -> float:
    """The unit-vector euclidean distance at which :func:`similarity_from_distance` equals ``score``.

    ``inf`` for ``score <= 0`` and ``0.0`` for ``score >= 100`` (or for scores reached only below 0).
    """
    score = float(score)
    if score <= 0.0:
        return math.inf
    if score >= 100.0:
        return 0.0
    logit = math.log(score / (100.0 - score))
    return max(0.0, DISTANCE_AT_80 + (_LOGIT_80 - logit) / SLOPE)


DISTANCE_AT_99 = distance_for_similarity(99.0)


def similarity_from_distance(distance: ArrayLike) -> NDArray[np.float64]:
    """0-100 score of unit-vector euclidean distances (element-wise)."""
    d = np.asarray(distance, dtype=np.float64)
    return np.asarray(100.0 / (1.0 + np.exp(SLOPE * (d - DISTANCE_AT_80) - _LOGIT_80)), dtype=np.float64)


def similarity_from_cosine(cosine: ArrayLike) -> NDArray[np.float64]:
    """0-100 score of cosine similarities of unit vectors (element-wise)."""
    c = np.clip(np.asarray(cosine, dtype=np.float64), -1.0, 1.0)
    return similarity_from_distance(np.sqrt(2.0 - 2.0 * c))


def cosine_for_similarity(score: float) -> float:
    """The cosine at which the score equals ``score``: a pair scores ``>= score`` iff its cosine is
    ``>=`` this (up to rounding). 1.0 for ``score >= 100``, -1.0 for ``score <= 0``."""
    distance = distance_for_similarity(score)
    if distance >= 2.0:
        return -1.0
    return 1.0 - distance * distance / 2.0


def _unit(vectors: NDArray[np.float64], what: str) -> NDArray[np.float64]:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    if not np.all(norms > 0.0):
        raise ValueError(f"{what} contains a zero vector")
    return np.asarray(vectors / norms, dtype=np.float64)


def similarities(query: ArrayLike, matrix: ArrayLike) -> NDArray[np.float64]:
    """Scores of ``query`` ``(dim,)`` against each row of ``matrix`` ``(n, dim)``: shape ``(n,)``.

    A ``(m, dim)`` query gives ``(m, n)``. Vectors are normalised here, so unnormalised ones work too.
    """
    q = np.asarray(query, dtype=np.float64)
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or q.ndim not in (1, 2) or q.shape[-1] != m.shape[1]:
        raise ValueError(
            f"expected a (dim,) or (m, dim) query and an (n, dim) matrix, got {q.shape}, {m.shape}"
        )
    if m.shape[0] == 0:
        return np.zeros((*q.shape[:-1], 0), dtype=np.float64)
    cosines = _unit(q, "query") @ _unit(m, "matrix").T
    return similarity_from_cosine(cosines)


def similarity(a: ArrayLike, b: ArrayLike) -> float:
    """Score of two embeddings ``(dim,)``: 100 for the same vector, 80 at :data:`DISTANCE_AT_80`."""
    va = np.asarray(a, dtype=np.float64)
    vb = np.asarray(b, dtype=np.float64)
    if va.ndim != 1 or va.shape != vb.shape:
        raise ValueError(f"expected two (dim,) vectors, got {va.shape} and {vb.shape}")
    return float(similarities(va, vb[None, :])[0])
