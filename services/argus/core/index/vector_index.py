"""One collection's face vectors in FAISS, addressed by the faces' collection-local ``seq``.

Two layouts, picked by size:

``flat``  (at most ``IndexParams.exact_max`` vectors, 50,000 by default)
    ``IndexIDMap2`` over ``IndexFlatIP``: exact inner-product search, float32 vectors
    (512 B + the id per face at 128 dimensions).

``ivf``   (above it)
    ``IndexIVFScalarQuantizer``: an inverted file of ``nlist = 4 * sqrt(n)`` lists, k-means
    trained on the collection's own vectors, each vector stored as float16 (not a residual),
    so 256 B + 8 B id per face at 128 dimensions. float16 keeps about 3 decimal digits: a
    cosine comes back within about 1e-3 of the exact one, enough to rank faces (callers that
    report a score re-score the few results from the stored float32 vectors). ``nprobe`` is
    tuned when the index is trained, on the collection's own vectors, as the smallest value
    whose recall@10 against exact search reaches ``IndexParams.target_recall``.

The layout is rebuilt (``needs_retrain``) when a flat index grows past ``exact_max`` and when an
IVF index has grown or shrunk ``retrain_growth`` (4) times since it was trained: its lists were
sized for the old count. ``add`` does that inline unless ``auto_retrain`` is off (the catalog
turns it off and retrains in the background). Removing really removes the vectors.

Not thread-safe: one writer at a time, and no search while writing (the catalog holds a lock
per collection). Searches take a ``threads`` count: single queries are fastest, and do not
disturb other searches, on one OpenMP thread (the setting is per calling thread with libgomp).
"""

from __future__ import annotations

import hashlib
import json
import math
import struct
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import faiss
import numpy as np
from numpy.typing import ArrayLike, NDArray

Kind = Literal["flat", "ivf"]

DEFAULT_DIM = 128
EXACT_MAX = 50_000
RETRAIN_GROWTH = 4.0
TARGET_RECALL = 0.998
LISTS_PER_SQRT = 4.0
# k-means wants at least 39 points per centroid; more buys little on face embeddings.
MIN_POINTS_PER_LIST = 39
TRAIN_POINTS_PER_LIST = 40
TUNE_QUERIES = 256
TUNE_K = 10

_MAGIC = b"ARGUSVI1"
_HEADER = struct.Struct("<8sI")


@dataclass(frozen=True)
class IndexParams:
    """How an index chooses and trains its layout. Not stored in snapshots: callers pass them."""

    dim: int = DEFAULT_DIM
    exact_max: int = EXACT_MAX
    retrain_growth: float = RETRAIN_GROWTH
    target_recall: float = TARGET_RECALL
    seed: int = 1234

    def __post_init__(self) -> None:
        if self.dim < 1:
            raise ValueError("dim must be positive")
        if self.exact_max < 0:
            raise ValueError("exact_max must not be negative")
        if self.retrain_growth <= 1.0:
            raise ValueError("retrain_growth must be above 1")
        if not 0.0 < self.target_recall <= 1.0:
            raise ValueError("target_recall must be in (0, 1]")


@contextmanager
def omp_threads(threads: int | None) -> Iterator[None]:
    """Run FAISS calls of this thread on ``threads`` OpenMP threads (None: leave as is)."""
    if threads is None:
        yield
        return
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(max(1, threads))
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def lists_for(n: int) -> int:
    """IVF list count for ``n`` vectors: 4 * sqrt(n), at most n / 39 so k-means has enough points."""
    return max(1, min(round(LISTS_PER_SQRT * math.sqrt(n)), n // MIN_POINTS_PER_LIST))


def _as_seqs(seqs: ArrayLike) -> NDArray[np.int64]:
    array = np.ascontiguousarray(seqs, dtype=np.int64).reshape(-1)
    if array.size and int(array.min()) < 0:
        raise ValueError("seqs must not be negative")
    return array


def _as_vectors(vectors: ArrayLike, dim: int) -> NDArray[np.float32]:
    array = np.ascontiguousarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    if array.ndim != 2 or array.shape[1] != dim:
        raise ValueError(f"vectors must have shape (n, {dim}), not {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("vectors must be finite")
    return array


class VectorIndex:
    """Inner-product search over vectors keyed by int64 ``seq``; see the module docstring."""

    def __init__(self, params: IndexParams | None = None, *, auto_retrain: bool = True) -> None:
        self.params = params or IndexParams()
        self.auto_retrain = auto_retrain
        self._index: Any = self._new_flat()
        self._kind: Kind = "flat"
        self._trained_size = 0
        self._max_seq = -1
        self.build_seconds: dict[str, float] = {}  # the last build's phases (train, add, tune)

    # -- construction -------------------------------------------------------------------

    def _new_flat(self) -> Any:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.params.dim))

    @classmethod
    def build(
        cls,
        seqs: ArrayLike,
        vectors: ArrayLike,
        params: IndexParams | None = None,
        *,
        auto_retrain: bool = True,
        threads: int | None = None,
    ) -> VectorIndex:
        """An index holding exactly these vectors, in the layout their count calls for."""
        index = cls(params, auto_retrain=auto_retrain)
        ids = _as_seqs(seqs)
        dim = index.params.dim
        data = _as_vectors(vectors, dim) if len(ids) else np.zeros((0, dim), np.float32)
        if len(ids) != len(data):
            raise ValueError(f"{len(ids)} seqs for {len(data)} vectors")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("seqs must be unique")
        with omp_threads(threads):
            index._load(ids, data)
        return index

    def _load(self, ids: NDArray[np.int64], data: NDArray[np.float32]) -> None:
        n = len(ids)
        if n <= self.params.exact_max:
            flat = self._new_flat()
            if n:
                flat.add_with_ids(data, ids)
            self._index, self._kind, self._trained_size = flat, "flat", 0
        else:
            self._index, self._kind, self._trained_size = self._train_ivf(ids, data), "ivf", n
        self._max_seq = int(ids.max()) if n else -1

    def _train_ivf(self, ids: NDArray[np.int64], data: NDArray[np.float32]) -> Any:
        n, dim = data.shape
        nlist = lists_for(n)
        ivf: Any = faiss.index_factory(dim, f"IVF{nlist},SQfp16", faiss.METRIC_INNER_PRODUCT)
        ivf.by_residual = False
        ivf.cp.seed = self.params.seed
        rng = np.random.default_rng(self.params.seed)
        sample = min(n, TRAIN_POINTS_PER_LIST * nlist)
        rows = np.sort(rng.choice(n, size=sample, replace=False)) if sample < n else np.arange(n)
        started = time.perf_counter()
        ivf.train(data[rows])
        trained = time.perf_counter()
        ivf.add_with_ids(data, ids)
        added = time.perf_counter()
        ivf.nprobe = self._tune_nprobe(ivf, data, rng)
        tuned = time.perf_counter()
        self.build_seconds = {"train": trained - started, "add": added - trained, "tune": tuned - added}
        return ivf

    def _tune_nprobe(self, ivf: Any, data: NDArray[np.float32], rng: np.random.Generator) -> int:
        """The smallest nprobe whose recall@10 on the collection's own vectors reaches the target.

        Queries are stored vectors (their own entry left out of the answer, as for a new photo of a
        known face). A true neighbour is found exactly when its list is probed, so the recall at any
        nprobe follows from the rank of each neighbour's list in the query's list order: no search.
        """
        n, nlist = len(data), int(ivf.nlist)
        k = min(TUNE_K, n - 1)
        if k < 1 or nlist == 1:
            return nlist
        rows = rng.choice(n, size=min(TUNE_QUERIES, n), replace=False)
        queries = data[rows]
        _, found = faiss.knn(queries, data, k + 1, metric=faiss.METRIC_INNER_PRODUCT)
        truth = np.empty((len(rows), k), dtype=np.int64)
        for i, (row, answer) in enumerate(zip(rows, found, strict=True)):
            truth[i] = answer[answer != row][:k]
        _, lists = ivf.quantizer.search(data[truth.reshape(-1)], 1)
        _, order = ivf.quantizer.search(queries, nlist)
        rank = np.empty_like(order)
        rank[np.arange(len(rows))[:, None], order] = np.arange(nlist)
        needed = np.sort((rank[np.repeat(np.arange(len(rows)), k), lists[:, 0]] + 1).reshape(-1))
        position = math.ceil(self.params.target_recall * len(needed)) - 1
        return int(min(nlist, max(1, needed[max(0, position)])))

    # -- state ---------------------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        return self._kind

    @property
    def dim(self) -> int:
        return self.params.dim

    @property
    def nlist(self) -> int | None:
        return int(self._index.nlist) if self._kind == "ivf" else None

    @property
    def nprobe(self) -> int | None:
        return int(self._index.nprobe) if self._kind == "ivf" else None

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        if self._kind != "ivf":
            raise ValueError("only an ivf index has nprobe")
        self._index.nprobe = max(1, min(int(value), int(self._index.nlist)))

    @property
    def trained_size(self) -> int:
        """How many vectors the IVF layout was trained for (0 for flat)."""
        return self._trained_size

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def memory_bytes(self) -> int:
        """Approximate memory held: float32 (flat) or float16 (ivf) components plus an 8-byte id."""
        component = 4 if self._kind == "flat" else 2
        return len(self) * (self.params.dim * component + 8)

    @property
    def needs_retrain(self) -> bool:
        n, growth = len(self), self.params.retrain_growth
        if self._kind == "flat":
            return n > self.params.exact_max
        return n > growth * self._trained_size or n * growth < self._trained_size

    def seqs(self) -> NDArray[np.int64]:
        """Every stored seq, ascending."""
        if self._kind == "flat":
            return np.sort(faiss.vector_to_array(self._index.id_map).astype(np.int64))
        parts = [ids for ids, _ in self._ivf_lists(codes=False)]
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, np.int64)

    def contents(self) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
        """Every stored (seq, vector), ascending by seq. IVF vectors come back float16-rounded."""
        if self._kind == "flat":
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)
            data = self._index.index.reconstruct_n(0, len(ids)) if len(ids) else np.zeros((0, self.dim))
        else:
            chunks = list(self._ivf_lists(codes=True))
            ids = np.concatenate([c[0] for c in chunks]) if chunks else np.zeros(0, np.int64)
            data = np.concatenate([c[1] for c in chunks]) if chunks else np.zeros((0, self.dim))
        order = np.argsort(ids, kind="stable")
        return ids[order], np.ascontiguousarray(data[order], dtype=np.float32)

    def _ivf_lists(self, codes: bool) -> Iterator[tuple[NDArray[np.int64], NDArray[np.float32]]]:
        invlists, code_size = self._index.invlists, int(self._index.code_size)
        empty = np.zeros((0, self.dim), np.float32)
        for list_no in range(int(self._index.nlist)):
            size = int(invlists.list_size(list_no))
            if size == 0:
                continue
            ids = faiss.rev_swig_ptr(invlists.get_ids(list_no), size).astype(np.int64)
            if not codes:
                yield ids, empty
                continue
            raw = faiss.rev_swig_ptr(invlists.get_codes(list_no), size * code_size).copy()
            yield ids, self._index.sq.decode(raw.reshape(size, code_size))

    # -- changes -------------------------------------------------------------------------

    def add(self, seqs: ArrayLike, vectors: ArrayLike) -> None:
        """Add vectors; a seq already present is replaced. May retrain (see ``auto_retrain``)."""
        ids = _as_seqs(seqs)
        if not len(ids):
            return
        data = _as_vectors(vectors, self.dim)
        if len(ids) != len(data):
            raise ValueError(f"{len(ids)} seqs for {len(data)} vectors")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("seqs must be unique")
        # Faces get increasing seqs, so new ones are above every stored seq; otherwise replace.
        if int(ids.min()) <= self._max_seq:
            self.remove(ids)
        self._index.add_with_ids(data, ids)
        self._max_seq = max(self._max_seq, int(ids.max()))
        if self.auto_retrain and self.needs_retrain:
            self.retrain()

    def remove(self, seqs: ArrayLike) -> int:
        """Remove these seqs (absent ones are ignored); returns how many were removed."""
        ids = np.unique(_as_seqs(seqs))
        if not len(ids) or not len(self):
            return 0
        removed = int(self._index.remove_ids(ids))
        if self.auto_retrain and removed and self.needs_retrain:
            self.retrain()
        return removed

    def retrain(self, threads: int | None = None) -> None:
        """Rebuild the layout for the current count (flat or a freshly trained IVF)."""
        ids, data = self.contents()
        with omp_threads(threads):
            self._load(ids, data)

    def rebuilt(self, threads: int | None = None) -> VectorIndex:
        """A retrained copy; this index is left as it is."""
        ids, data = self.contents()
        return VectorIndex.build(ids, data, self.params, auto_retrain=self.auto_retrain, threads=threads)

    # -- search --------------------------------------------------------------------------

    def search(
        self, queries: ArrayLike, k: int, *, threads: int | None = None
    ) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
        """The ``k`` largest inner products per query: ``(sims (m, k), seqs (m, k))``.

        Best first; where fewer than ``k`` vectors exist the rest is ``seq -1``, ``sim -inf``.
        """
        data = _as_vectors(queries, self.dim)
        if k < 1:
            raise ValueError("k must be at least 1")
        m = len(data)
        if not len(self) or not m:
            return np.full((m, k), -np.inf, np.float32), np.full((m, k), -1, np.int64)
        with omp_threads(threads):
            sims, seqs = self._index.search(data, k)
        sims = np.asarray(sims, dtype=np.float32)
        seqs = np.asarray(seqs, dtype=np.int64)
        sims[seqs < 0] = -np.inf
        return sims, seqs

    # -- serialisation -------------------------------------------------------------------

    def to_bytes(self, meta: Mapping[str, Any] | None = None) -> bytes:
        """A self-describing snapshot: a JSON header, then ``faiss.serialize_index``'s bytes.

        The header holds the layout, a SHA-256 of the FAISS bytes (checked on load) and ``meta``,
        the caller's own JSON-able facts (``peek`` reads them back without loading the index).
        """
        body = faiss.serialize_index(self._index)
        header = json.dumps(
            {
                "kind": self._kind,
                "dim": self.dim,
                "count": len(self),
                "trained_size": self._trained_size,
                "max_seq": self._max_seq,
                "sha256": hashlib.sha256(body.data).hexdigest(),
                "meta": dict(meta or {}),
            },
            sort_keys=True,
        ).encode()
        return b"".join([_HEADER.pack(_MAGIC, len(header)), header, body.data])

    @staticmethod
    def peek(data: bytes) -> dict[str, Any]:
        """The header of ``to_bytes`` output (``meta`` included); ValueError when it is not one."""
        header, _ = _split(data)
        return header

    @classmethod
    def from_bytes(
        cls, data: bytes, params: IndexParams | None = None, *, auto_retrain: bool = True
    ) -> VectorIndex:
        """Load ``to_bytes`` output; ValueError when it is not one, is damaged or has another dim."""
        header, offset = _split(data)
        index = cls(params, auto_retrain=auto_retrain)
        kind, dim = header["kind"], header["dim"]
        if dim != index.dim or kind not in ("flat", "ivf"):
            raise ValueError(f"snapshot holds a {kind!r} index of {dim} dimensions, not {index.dim}")
        body = np.frombuffer(data, dtype=np.uint8, offset=offset)
        if hashlib.sha256(body.data).hexdigest() != header["sha256"]:
            raise ValueError("vector index snapshot is damaged (checksum mismatch)")
        try:
            loaded = faiss.deserialize_index(body)
        except RuntimeError as error:
            raise ValueError(f"unreadable FAISS index: {error}") from error
        expected = faiss.IndexIDMap2 if kind == "flat" else faiss.IndexIVFScalarQuantizer
        if not isinstance(loaded, expected) or int(loaded.d) != dim or int(loaded.ntotal) != header["count"]:
            raise ValueError(f"snapshot body is not the {kind} index its header describes")
        index._index, index._kind = loaded, kind
        index._trained_size, index._max_seq = header["trained_size"], header["max_seq"]
        return index


def _split(data: bytes) -> tuple[dict[str, Any], int]:
    """Parse and check the header of a snapshot; returns it and where the FAISS bytes start."""
    if len(data) < _HEADER.size:
        raise ValueError("truncated vector index snapshot")
    magic, length = _HEADER.unpack_from(data)
    if magic != _MAGIC or _HEADER.size + length > len(data):
        raise ValueError("not a vector index snapshot")
    try:
        header = json.loads(bytes(data[_HEADER.size : _HEADER.size + length]))
        for key in ("dim", "count", "trained_size", "max_seq"):
            if not isinstance(header[key], int):
                raise TypeError(f"{key} is not an integer")
        if not isinstance(header["kind"], str) or not isinstance(header["sha256"], str):
            raise TypeError("kind and sha256 must be strings")
        if not isinstance(header["meta"], dict):
            raise TypeError("meta is not an object")
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"bad vector index snapshot header: {error}") from error
    return header, _HEADER.size + length
