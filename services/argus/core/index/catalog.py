"""The vector indexes a worker process keeps, one per collection, following the database.

PostgreSQL (or SQLite when embedded) is the source of truth: ``faces`` holds every live face
with its embedding and the collection version that added it, ``face_tombstones`` the seqs of
deleted faces with the version that deleted them, and ``collections.faces_version`` counts the
changes. An index known to be at version V reaches version W by adding the faces with
``V < version <= W`` and removing the tombstones with ``V < version <= W``.

Before each search, :class:`CollectionIndexes` reads ``faces_version`` (one primary-key
query) and, when its in-memory index is behind, catches up as above. Without an in-memory
index it loads the collection's snapshot from object storage, catches up from the snapshot's
version and checks the face count; with no usable snapshot it rebuilds from ``faces``.
Rebuilds, retrains and indexes that moved on by many changes are written back as snapshots.

Snapshots live in the ``bucket`` given (the caller creates it):

``indexes/<collection_pk>/snapshot.faiss``
    :meth:`VectorIndex.to_bytes` output: a JSON header (layout, SHA-256 of the FAISS bytes and
    this module's facts: collection, account, face model version, ``version``), then the index
    as ``faiss.serialize_index`` writes it. Self-describing: a reader trusts only this header.
``indexes/<collection_pk>/snapshot.json``
    The same header, small, written after the object; read first so that a snapshot of
    another face model, a later version or a foreign collection is never downloaded.

Both are replaced by single PUTs, so a reader sees a whole old or a whole new object; a torn
pair (old meta, new object) is harmless because the object describes itself.

Consistency: a search answers from an index that is exactly at the version it read just
before (nothing deleted at or before it can come back), or at a later one.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from argus.core.db.engine import Database
from argus.core.db.models import Collection, Face, FaceTombstone
from argus.core.errors import ResourceNotFoundException
from argus.core.index.vector_index import IndexParams, VectorIndex
from argus.core.storage.base import ObjectNotFound, ObjectRef, ObjectStore

log = logging.getLogger(__name__)

INDEX_BUCKET = "argus"  # where snapshots live; the processes that use it create it
SNAPSHOT_FORMAT = 1
META_MAX_BYTES = 1 << 16
STREAM_ROWS = 10_000
SNAPSHOT_CHANGES = 10_000
SNAPSHOT_FRACTION = 0.10
SNAPSHOT_MIN_CHANGES = 1_000
VERIFY_ATTEMPTS = 3
SNAPSHOT_RETRY_S = 300.0

Job = Callable[[], None]


INDEX_BUCKET = "argus"  # where snapshots live (the MinIO bucket the deployment creates)


def snapshot_name(collection_pk: int) -> str:
    return f"indexes/{collection_pk}/snapshot.faiss"


def meta_name(collection_pk: int) -> str:
    return f"indexes/{collection_pk}/snapshot.json"


@dataclass(frozen=True)
class IndexInfo:
    """What a process holds for one collection."""

    collection_pk: int
    version: int
    size: int
    kind: str
    nprobe: int | None
    snapshot_version: int | None
    changes_since_snapshot: int


@dataclass(frozen=True)
class _Row:
    """The collection row as one query reads it."""

    version: int
    face_model_version: str
    account_id: str
    collection_id: str

    def same_collection(self, other: _Row) -> bool:
        return (self.face_model_version, self.account_id, self.collection_id) == (
            other.face_model_version,
            other.account_id,
            other.collection_id,
        )


class _Entry:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.last_used = 0.0  # time.monotonic() of the last search
        self.index: VectorIndex | None = None
        self.row: _Row | None = None
        self.version = 0
        self.changes = 0  # faces added or removed since the last snapshot written or loaded
        self.snapshot_version: int | None = None  # version of the snapshot written or loaded
        self.snapshot_due = False  # rebuilt or retrained: worth a snapshot whatever the changes
        self.retry_after = 0.0  # time.monotonic() before which a failed snapshot is not retried
        self.busy = False  # a retrain or snapshot job is queued or running
        self.gone = False  # dropped or evicted: background jobs must leave it alone
        self.dropped = False  # drop(): its snapshot must not outlive it


class CollectionIndexes:
    """Per-process vector indexes of collections, kept at the database's version. Thread-safe.

    ``background``: retrain and write snapshots on a worker thread (searches go on meanwhile on
    the old index); off, they run inline after the search that called for them.
    ``search_threads``: OpenMP threads per search (1 is best for single queries).
    ``build_threads``: OpenMP threads to train and fill indexes (None: all).
    """

    def __init__(
        self,
        db: Database,
        store: ObjectStore,
        bucket: str = INDEX_BUCKET,
        *,
        params: IndexParams | None = None,
        background: bool = True,
        search_threads: int | None = 1,
        build_threads: int | None = None,
        snapshot_changes: int = SNAPSHOT_CHANGES,
        snapshot_fraction: float = SNAPSHOT_FRACTION,
        stream_rows: int = STREAM_ROWS,
        memory_budget_bytes: int | None = None,
    ) -> None:
        self.db = db
        self.store = store
        self.bucket = bucket
        self.params = params or IndexParams()
        self.background = background
        self.search_threads = search_threads
        self.build_threads = build_threads
        self.snapshot_changes = snapshot_changes
        self.snapshot_fraction = snapshot_fraction
        self.stream_rows = stream_rows
        # Past this many bytes of in-memory indexes, the least recently searched are evicted
        # (their snapshots stay; a later search loads them again).
        self.memory_budget_bytes = memory_budget_bytes
        self._lock = threading.Lock()
        self._entries: dict[int, _Entry] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[None]] = set()
        self._counters: Counter[str] = Counter()

    # -- public API ----------------------------------------------------------------------

    def search(
        self, collection_pk: int, queries: ArrayLike, k: int, min_cosine: float = -1.0
    ) -> tuple[NDArray[np.float32], NDArray[np.int64]]:
        """The ``k`` most similar faces per query row: ``(cosines (m, k), seqs (m, k))``, best first.

        Queries are L2-normalised here. Entries below ``min_cosine`` or past the collection's size
        are ``seq -1`` with cosine ``-inf``. ResourceNotFoundException if the collection is gone.
        """
        data = np.array(queries, dtype=np.float32, ndmin=2)
        norms = np.linalg.norm(data, axis=1, keepdims=True)
        data = np.divide(data, norms, out=np.zeros_like(data), where=norms > 0)
        entry = self._entry(collection_pk)
        with entry.lock:
            index = self._sync(collection_pk, entry)
            sims, seqs = index.search(data, k, threads=self.search_threads)
            entry.last_used = time.monotonic()
            job = self._maintenance(collection_pk, entry)
        self._run(job)
        self._trim(keep=collection_pk)
        below = sims < min_cosine
        sims[below] = -np.inf
        seqs[below] = -1
        return sims, seqs

    def refresh(self, collection_pk: int) -> int:
        """Bring the collection's index to the database's version (loading it if needed); returns it."""
        entry = self._entry(collection_pk)
        with entry.lock:
            self._sync(collection_pk, entry)
            version = entry.version
            job = self._maintenance(collection_pk, entry)
        self._run(job)
        return version

    def snapshot(self, collection_pk: int) -> bool:
        """Refresh, then write the snapshot now; False when a newer one is already stored."""
        self.refresh(collection_pk)
        return self._write_snapshot(collection_pk, self._entry(collection_pk))

    def info(self, collection_pk: int) -> IndexInfo | None:
        """This process's index of the collection, as it stands (no database read)."""
        with self._lock:
            entry = self._entries.get(collection_pk)
        if entry is None:
            return None
        with entry.lock:
            if entry.index is None:
                return None
            return IndexInfo(
                collection_pk=collection_pk,
                version=entry.version,
                size=len(entry.index),
                kind=entry.index.kind,
                nprobe=entry.index.nprobe,
                snapshot_version=entry.snapshot_version,
                changes_since_snapshot=entry.changes,
            )

    def counters(self) -> dict[str, int]:
        """How often this process did each kind of work: ``rebuilds``, ``snapshot_loads``,
        ``snapshot_writes``, ``catch_ups``, ``retrains``."""
        with self._lock:
            return dict(self._counters)

    def _count(self, name: str) -> None:
        with self._lock:
            self._counters[name] += 1

    def evict(self, collection_pk: int) -> None:
        """Forget the in-memory index (the snapshot stays)."""
        self._forget(collection_pk, dropped=False)

    def drop(self, collection_pk: int) -> None:
        """DeleteCollection: forget the index and delete its snapshot."""
        self._forget(collection_pk, dropped=True)
        for name in (meta_name(collection_pk), snapshot_name(collection_pk)):
            self.store.delete(ObjectRef(self.bucket, name))

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the background retrains and snapshot writes queued so far."""
        with self._lock:
            pending = set(self._futures)
        wait_futures(pending, timeout=timeout)

    def close(self) -> None:
        """Stop the background thread (running jobs finish, queued ones are dropped)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def memory_bytes(self) -> int:
        """Approximate bytes held by this process's in-memory indexes."""
        with self._lock:
            entries = list(self._entries.values())
        return sum(entry.index.memory_bytes for entry in entries if entry.index is not None)

    def _trim(self, keep: int) -> None:
        """Evict the least recently searched indexes until the memory budget holds (never ``keep``)."""
        if self.memory_budget_bytes is None:
            return
        with self._lock:
            held = [
                (entry.last_used, pk, entry.index.memory_bytes)
                for pk, entry in self._entries.items()
                if entry.index is not None
            ]
        total = sum(size for _, _, size in held)
        for _, pk, size in sorted(held):
            if total <= self.memory_budget_bytes:
                break
            if pk != keep:
                self.evict(pk)
                total -= size
                self._count("evictions")

    def _forget(self, collection_pk: int, *, dropped: bool) -> None:
        with self._lock:
            entry = self._entries.pop(collection_pk, None)
        if entry is not None:
            with entry.lock:
                entry.gone, entry.dropped, entry.index = True, dropped, None

    # -- keeping up with the database ----------------------------------------------------

    def _entry(self, collection_pk: int) -> _Entry:
        with self._lock:
            entry = self._entries.get(collection_pk)
            if entry is None:
                entry = self._entries[collection_pk] = _Entry()
            return entry

    def _read_row(self, collection_pk: int) -> _Row | None:
        with self.db.session() as session:
            found = session.execute(
                select(
                    Collection.faces_version,
                    Collection.face_model_version,
                    Collection.account_id,
                    Collection.collection_id,
                ).where(Collection.pk == collection_pk)
            ).one_or_none()
        if found is None:
            return None
        return _Row(int(found[0]), found[1], found[2], found[3])

    def _sync(self, collection_pk: int, entry: _Entry) -> VectorIndex:
        """With ``entry.lock`` held: make ``entry.index`` current; returns it."""
        row = self._read_row(collection_pk)
        if row is None:
            entry.gone, entry.index = True, None
            with self._lock:
                if self._entries.get(collection_pk) is entry:
                    del self._entries[collection_pk]
            raise ResourceNotFoundException(f"collection {collection_pk} does not exist")
        index = entry.index
        if (
            index is None
            or entry.row is None
            or not entry.row.same_collection(row)
            or row.version < entry.version
        ):
            self._open(collection_pk, entry, row)
        elif row.version > entry.version:
            entry.changes += self._catch_up(collection_pk, index, entry.version, row.version)
            entry.version, entry.row = row.version, row
        assert entry.index is not None
        return entry.index

    def _open(self, collection_pk: int, entry: _Entry, row: _Row) -> None:
        loaded = self._load_snapshot(collection_pk, row)
        if loaded is not None:
            index, version = loaded
            changes = self._catch_up(collection_pk, index, version, row.version)
            checked = self._verify(collection_pk, index, row.version)
            if checked is not None:
                entry.index, entry.row, entry.version = index, row, checked[0]
                entry.snapshot_version, entry.changes, entry.snapshot_due = (
                    version,
                    changes + checked[1],
                    False,
                )
                self._count("snapshot_loads")
                log.info("collection %s: snapshot v%s caught up to v%s", collection_pk, version, checked[0])
                return
            log.warning(
                "collection %s: snapshot v%s disagrees with the database; rebuilding", collection_pk, version
            )
        index = self._rebuild(collection_pk, row.version)
        self._count("rebuilds")
        entry.index, entry.row, entry.version = index, row, row.version
        entry.snapshot_version, entry.changes, entry.snapshot_due = None, 0, True

    def _catch_up(self, collection_pk: int, index: VectorIndex, since: int, until: int) -> int:
        """Apply the changes ``since < version <= until`` to ``index``; returns how many faces moved."""
        if until <= since:
            return 0
        self._count("catch_ups")
        changes = 0
        with self.db.session() as session:
            for seqs, vectors in self._faces(session, collection_pk, since, until):
                index.add(seqs, vectors)
                changes += len(seqs)
            deleted = session.scalars(
                select(FaceTombstone.seq).where(
                    FaceTombstone.collection_pk == collection_pk,
                    FaceTombstone.version > since,
                    FaceTombstone.version <= until,
                )
            ).all()
        if deleted:
            index.remove(np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
            changes += len(deleted)
        return changes

    def _faces(
        self, session: Session, collection_pk: int, since: int | None, until: int
    ) -> Iterator[tuple[NDArray[np.int64], NDArray[np.float32]]]:
        """Chunks ``(seqs, vectors)`` of the faces with ``since < version <= until``, by seq."""
        query = select(Face.seq, Face.embedding).where(
            Face.collection_pk == collection_pk, Face.version <= until
        )
        if since is not None:
            query = query.where(Face.version > since)
        result = session.execute(query.order_by(Face.seq).execution_options(yield_per=self.stream_rows))
        width = self.params.dim * 4
        for rows in result.partitions():
            blobs = [row[1] for row in rows]
            if any(len(blob) != width for blob in blobs):
                raise ValueError(f"collection {collection_pk} holds an embedding that is not {width} bytes")
            seqs = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(rows), self.params.dim)
            yield seqs, vectors.astype(np.float32, copy=False)

    def _rebuild(self, collection_pk: int, version: int) -> VectorIndex:
        seqs_parts: list[NDArray[np.int64]] = []
        vector_parts: list[NDArray[np.float32]] = []
        with self.db.session() as session:
            for seqs, vectors in self._faces(session, collection_pk, None, version):
                seqs_parts.append(seqs)
                vector_parts.append(vectors)
        seqs = np.concatenate(seqs_parts) if seqs_parts else np.zeros(0, np.int64)
        vectors = np.concatenate(vector_parts) if vector_parts else np.zeros((0, self.params.dim), np.float32)
        del seqs_parts, vector_parts
        log.info(
            "collection %s: rebuilding its index from %d faces at v%s", collection_pk, len(seqs), version
        )
        return VectorIndex.build(seqs, vectors, self.params, auto_retrain=False, threads=self.build_threads)

    def _verify(self, collection_pk: int, index: VectorIndex, version: int) -> tuple[int, int] | None:
        """Check a loaded index (at ``version``) holds as many faces as the table.

        Returns the version checked and the faces moved to reach it; None when it does not match.

        The count and the version are read around each other: equal versions mean no change
        committed in between, so the count belongs to that version.
        """
        total = 0
        for _ in range(VERIFY_ATTEMPTS):
            with self.db.session() as session:
                before = self._version(session, collection_pk)
                count = session.scalar(select(func.count()).where(Face.collection_pk == collection_pk))
                after = self._version(session, collection_pk)
            if before is None or before != after:
                continue
            if before < version:
                return None
            advanced = before > version
            total += self._catch_up(collection_pk, index, version, before)
            version = before
            if len(index) == count:
                return version, total
            if not advanced:  # nothing committed since the last catch-up: the index is wrong
                return None
        return None

    @staticmethod
    def _version(session: Session, collection_pk: int) -> int | None:
        value = session.scalar(select(Collection.faces_version).where(Collection.pk == collection_pk))
        return None if value is None else int(value)

    # -- snapshots -----------------------------------------------------------------------

    def _ref(self, name: str) -> ObjectRef:
        return ObjectRef(self.bucket, name)

    def _usable(self, meta: Any, collection_pk: int, row: _Row, *, up_to_row: bool = True) -> bool:
        """Snapshot facts that belong to this collection and face model (and, by default, are not
        ahead of the row's version: a database restored to an earlier state)."""
        return (
            isinstance(meta, dict)
            and meta.get("format") == SNAPSHOT_FORMAT
            and meta.get("collection_pk") == collection_pk
            and meta.get("account_id") == row.account_id
            and meta.get("collection_id") == row.collection_id
            and meta.get("face_model_version") == row.face_model_version
            and isinstance(meta.get("version"), int)
            and meta["version"] >= 0
            and (not up_to_row or meta["version"] <= row.version)
        )

    def _load_snapshot(self, collection_pk: int, row: _Row) -> tuple[VectorIndex, int] | None:
        try:
            meta = json.loads(self.store.get(self._ref(meta_name(collection_pk)), max_bytes=META_MAX_BYTES))
        except ObjectNotFound:
            return None
        except Exception as error:  # an unreadable snapshot is a cache miss, never an error
            log.warning("collection %s: snapshot meta unreadable (%s); rebuilding", collection_pk, error)
            return None
        if not self._usable(meta.get("meta") if isinstance(meta, dict) else None, collection_pk, row):
            log.info("collection %s: stored snapshot does not fit the collection; rebuilding", collection_pk)
            return None
        try:
            blob = self.store.get(self._ref(snapshot_name(collection_pk)))
            facts = VectorIndex.peek(blob)["meta"]
            if not self._usable(facts, collection_pk, row):
                log.info(
                    "collection %s: stored snapshot does not fit the collection; rebuilding", collection_pk
                )
                return None
            index = VectorIndex.from_bytes(blob, self.params, auto_retrain=False)
        except Exception as error:
            log.warning("collection %s: snapshot unreadable (%s); rebuilding", collection_pk, error)
            return None
        return index, int(facts["version"])

    def _write_snapshot(self, collection_pk: int, entry: _Entry) -> bool:
        """Write the entry's index unless the store holds one as new; True when written."""
        with entry.lock:
            if entry.index is None or entry.row is None or entry.gone:
                return False
            version, row, written = entry.version, entry.row, entry.changes
            facts = {
                "format": SNAPSHOT_FORMAT,
                "collection_pk": collection_pk,
                "account_id": row.account_id,
                "collection_id": row.collection_id,
                "face_model_version": row.face_model_version,
                "version": version,
                "written_at": datetime.now(UTC).isoformat(),
            }
            blob = entry.index.to_bytes(facts)
        header = VectorIndex.peek(blob)
        try:
            stored = json.loads(self.store.get(self._ref(meta_name(collection_pk)), max_bytes=META_MAX_BYTES))
            newer = (
                self._usable(stored.get("meta"), collection_pk, row, up_to_row=False)
                and stored["meta"]["version"] >= version
            )
        except Exception:
            newer = False
        if not newer:
            self.store.put(self._ref(snapshot_name(collection_pk)), blob)
            self.store.put(
                self._ref(meta_name(collection_pk)),
                json.dumps(header).encode(),
                content_type="application/json",
            )
            self._count("snapshot_writes")
            log.info(
                "collection %s: snapshot v%s written (%d faces)", collection_pk, version, header["count"]
            )
        with entry.lock:
            entry.changes = max(0, entry.changes - written)
            entry.snapshot_version, entry.snapshot_due = version, False
            dropped = entry.dropped
        if dropped and not newer:  # drop() ran while this was being written: undo it
            for name in (meta_name(collection_pk), snapshot_name(collection_pk)):
                self.store.delete(self._ref(name))
        return not newer

    # -- background work -----------------------------------------------------------------

    def _maintenance(self, collection_pk: int, entry: _Entry) -> Job | None:
        """With ``entry.lock`` held: the retrain or snapshot the index now calls for, if any."""
        index = entry.index
        if index is None or entry.busy:
            return None
        if index.needs_retrain:
            entry.busy = True
            return partial(self._retrain, collection_pk, entry, index)
        size = len(index)
        due = min(self.snapshot_changes, max(SNAPSHOT_MIN_CHANGES, int(self.snapshot_fraction * size)))
        if size and (entry.snapshot_due or entry.changes >= due) and time.monotonic() >= entry.retry_after:
            entry.busy = True
            return partial(self._snapshot_job, collection_pk, entry)
        return None

    def _run(self, job: Job | None) -> None:
        if job is None:
            return
        if not self.background:
            job()
            return
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argus-index")
            future = self._executor.submit(job)
            self._futures.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def _snapshot_job(self, collection_pk: int, entry: _Entry) -> None:
        try:
            self._write_snapshot(collection_pk, entry)
        except Exception:
            log.exception("collection %s: writing the index snapshot failed", collection_pk)
            with entry.lock:
                entry.retry_after = time.monotonic() + SNAPSHOT_RETRY_S
        finally:
            with entry.lock:
                entry.busy = False

    def _retrain(self, collection_pk: int, entry: _Entry, old: VectorIndex) -> None:
        """Rebuild the layout from the index's own vectors while searches go on with the old one."""
        try:
            swapped = self._swap_retrained(collection_pk, entry, old)
        except Exception:
            log.exception("collection %s: retraining the index failed", collection_pk)
            swapped = False
        if swapped:
            self._snapshot_job(collection_pk, entry)  # clears ``busy`` when done
        else:
            with entry.lock:
                entry.busy = False

    def _swap_retrained(self, collection_pk: int, entry: _Entry, old: VectorIndex) -> bool:
        with entry.lock:
            if entry.index is not old or entry.gone:
                return False
            seqs, vectors = old.contents()
            version = entry.version
        fresh = VectorIndex.build(seqs, vectors, self.params, auto_retrain=False, threads=self.build_threads)
        del seqs, vectors
        with entry.lock:
            if entry.index is not old or entry.gone:
                return False
            if entry.version > version:  # the old index moved on meanwhile: replay that
                self._catch_up(collection_pk, fresh, version, entry.version)
            entry.index, entry.snapshot_due = fresh, True
        self._count("retrains")
        log.info(
            "collection %s: retrained as %s for %d faces (nprobe %s)",
            collection_pk,
            fresh.kind,
            len(fresh),
            fresh.nprobe,
        )
        return True
