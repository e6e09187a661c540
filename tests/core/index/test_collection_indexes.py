"""CollectionIndexes against real databases: catch-up, snapshots, rebuilds, two workers at once."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, select, update

from argus.core.db.engine import Database
from argus.core.db.models import Collection, Face, FaceTombstone
from argus.core.errors import ResourceNotFoundException
from argus.core.index.catalog import CollectionIndexes, meta_name, snapshot_name
from argus.core.index.vector_index import IndexParams, VectorIndex
from argus.core.storage.base import ObjectNotFound, ObjectRef
from argus.core.storage.local import LocalObjectStore
from tests.core.index.helpers import (
    add_faces,
    clustered,
    create_collection,
    delete_faces,
    faces_version,
    live_seqs,
    random_unit,
)

SMALL = IndexParams(exact_max=300)


def worker(db: Database, store: LocalObjectStore, **options: object) -> CollectionIndexes:
    options.setdefault("background", False)
    return CollectionIndexes(db, store, params=options.pop("params", SMALL), **options)  # type: ignore[arg-type]


def everything(indexes: CollectionIndexes, pk: int, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each query against every face: the whole state of a flat index, in order."""
    return indexes.search(pk, queries, 1000)


def test_search_finds_the_indexed_face_first(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(20, seed=1)
    added = add_faces(sqlite_db, "faces", vectors)
    sims, seqs = worker(sqlite_db, store).search(pk, vectors[7], 3)
    assert seqs[0, 0] == added[7][1]
    assert sims[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_queries_are_normalised(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(5, seed=2)
    add_faces(sqlite_db, "faces", vectors)
    sims, _ = worker(sqlite_db, store).search(pk, vectors[:1] * 7.5, 1)
    assert sims[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_matches_below_min_cosine_are_blanked(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(10, seed=3)
    added = add_faces(sqlite_db, "faces", vectors)
    sims, seqs = worker(sqlite_db, store).search(pk, vectors[:1], 10, min_cosine=0.9)
    assert seqs[0].tolist() == [added[0][1]] + [-1] * 9
    assert np.isneginf(sims[0, 1:]).all()


def test_empty_collection_answers_nothing(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    _, seqs = worker(sqlite_db, store).search(pk, random_unit(1, seed=4), 2)
    assert seqs.tolist() == [[-1, -1]]


def test_missing_collection_raises_resource_not_found(sqlite_db: Database, store: LocalObjectStore) -> None:
    with pytest.raises(ResourceNotFoundException):
        worker(sqlite_db, store).search(4242, random_unit(1, seed=5), 1)


def test_catch_up_follows_another_workers_adds_and_deletes(db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(db)
    vectors = random_unit(30, seed=6)
    first = add_faces(db, "faces", vectors[:20])
    reader = worker(db, store)
    reader.search(pk, vectors[:1], 1)
    second = add_faces(db, "faces", vectors[20:])  # another worker's IndexFaces ...
    delete_faces(db, "faces", [face_id for face_id, _ in first[:5]])  # ... and DeleteFaces
    _, seqs = reader.search(pk, vectors, 1)
    assert seqs[5:, 0].tolist() == [s for _, s in first[5:] + second]
    assert not set(seqs[:5].ravel().tolist()) & {s for _, s in first[:5]}
    assert reader.info(pk) is not None and reader.info(pk).size == 25  # type: ignore[union-attr]
    assert reader.counters()["catch_ups"] == 1


def test_rebuild_from_the_database_equals_the_caught_up_state(db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(db)
    vectors = random_unit(60, seed=7)
    incremental = worker(db, store, snapshot_changes=10**9)
    added = []
    for batch in range(6):
        added += add_faces(db, "faces", vectors[batch * 10 : batch * 10 + 10])
        delete_faces(db, "faces", [added[batch * 7][0]])
        incremental.search(pk, vectors[:1], 1)
    rebuilt = worker(db, LocalObjectStore(store.root.parent / "empty"))
    got, expected = everything(rebuilt, pk, vectors), everything(incremental, pk, vectors)
    assert rebuilt.counters().get("rebuilds") == 1 and incremental.counters()["catch_ups"] == 5
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[0], expected[0])
    assert set(got[1][0][got[1][0] >= 0].tolist()) == live_seqs(db, pk)


def test_snapshot_is_written_after_a_rebuild(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    add_faces(sqlite_db, "faces", random_unit(10, seed=8))
    indexes = worker(sqlite_db, store)
    indexes.refresh(pk)
    meta = json.loads(store.get(ObjectRef("argus", meta_name(pk))))
    blob = store.get(ObjectRef("argus", snapshot_name(pk)))
    assert (meta["count"], meta["meta"]["version"], meta["meta"]["collection_pk"]) == (10, 1, pk)
    assert VectorIndex.peek(blob) == meta
    assert indexes.info(pk).snapshot_version == 1  # type: ignore[union-attr]


def test_new_worker_loads_the_snapshot_instead_of_rebuilding(
    sqlite_db: Database, store: LocalObjectStore
) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(10, seed=9)
    added = add_faces(sqlite_db, "faces", vectors)
    worker(sqlite_db, store).refresh(pk)
    second = worker(sqlite_db, store)
    _, seqs = second.search(pk, vectors, 1)
    assert seqs[:, 0].tolist() == [seq for _, seq in added]
    assert (second.counters().get("snapshot_loads"), second.counters().get("rebuilds")) == (1, None)


def test_loaded_snapshot_catches_up_with_later_changes(db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(db)
    vectors = random_unit(40, seed=10)
    first = add_faces(db, "faces", vectors[:20])
    worker(db, store).refresh(pk)  # snapshot at version 1
    add_faces(db, "faces", vectors[20:])
    delete_faces(db, "faces", [face_id for face_id, _ in first[:3]])
    loaded = worker(db, store)
    rebuilt = worker(db, LocalObjectStore(store.root.parent / "empty"))
    got, expected = everything(loaded, pk, vectors), everything(rebuilt, pk, vectors)
    assert loaded.counters().get("snapshot_loads") == 1
    assert loaded.info(pk).version == faces_version(db, pk) == 3  # type: ignore[union-attr]
    np.testing.assert_array_equal(got[1], expected[1])


def test_deleted_face_never_comes_back_from_an_old_snapshot(db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(db)
    vectors = random_unit(10, seed=11)
    added = add_faces(db, "faces", vectors)
    worker(db, store).refresh(pk)  # the snapshot holds every face
    delete_faces(db, "faces", [added[4][0]])
    reloaded = worker(db, store)
    _, seqs = reloaded.search(pk, vectors[4], 10)
    assert reloaded.counters().get("snapshot_loads") == 1
    assert added[4][1] not in seqs.tolist()[0]
    assert sorted(s for s in seqs[0].tolist() if s >= 0) == sorted(
        s for i, (_, s) in enumerate(added) if i != 4
    )


def test_damaged_snapshot_falls_back_to_a_rebuild(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(10, seed=12)
    added = add_faces(sqlite_db, "faces", vectors)
    worker(sqlite_db, store).refresh(pk)
    path = store.root / "argus" / snapshot_name(pk)
    data = bytearray(path.read_bytes())
    data[-50] ^= 0xFF
    path.write_bytes(bytes(data))
    indexes = worker(sqlite_db, store)
    _, seqs = indexes.search(pk, vectors, 1)
    assert seqs[:, 0].tolist() == [seq for _, seq in added]
    assert (indexes.counters().get("snapshot_loads"), indexes.counters().get("rebuilds")) == (None, 1)


def test_snapshot_that_disagrees_with_the_database_is_rebuilt(
    sqlite_db: Database, store: LocalObjectStore
) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(10, seed=13)
    added = add_faces(sqlite_db, "faces", vectors)
    worker(sqlite_db, store).refresh(pk)
    with sqlite_db.session() as session:  # a face vanishes without a new version: the snapshot is wrong now
        session.execute(delete(Face).where(Face.collection_pk == pk, Face.seq == added[0][1]))
    indexes = worker(sqlite_db, store)
    _, seqs = indexes.search(pk, vectors[0], 10)
    assert added[0][1] not in seqs[0].tolist()
    assert indexes.counters().get("rebuilds") == 1


def test_snapshot_of_another_face_model_is_ignored(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    add_faces(sqlite_db, "faces", random_unit(5, seed=14))
    worker(sqlite_db, store).refresh(pk)
    with sqlite_db.session() as session:
        session.execute(update(Collection).where(Collection.pk == pk).values(face_model_version="7.0"))
    indexes = worker(sqlite_db, store)
    indexes.refresh(pk)
    assert (indexes.counters().get("snapshot_loads"), indexes.counters().get("rebuilds")) == (None, 1)


def test_face_model_change_reloads_the_in_memory_index(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    add_faces(sqlite_db, "faces", random_unit(5, seed=15))
    indexes = worker(sqlite_db, store)
    indexes.refresh(pk)
    with sqlite_db.session() as session:
        session.execute(update(Collection).where(Collection.pk == pk).values(face_model_version="7.0"))
    indexes.refresh(pk)
    assert indexes.counters().get("rebuilds") == 2


def test_many_changes_write_a_new_snapshot(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(30, seed=16)
    add_faces(sqlite_db, "faces", vectors[:10])
    indexes = worker(sqlite_db, store, snapshot_changes=10)
    indexes.refresh(pk)
    add_faces(sqlite_db, "faces", vectors[10:19])
    indexes.refresh(pk)
    assert json.loads(store.get(ObjectRef("argus", meta_name(pk))))["meta"]["version"] == 1
    add_faces(sqlite_db, "faces", vectors[19:20])
    indexes.refresh(pk)
    assert json.loads(store.get(ObjectRef("argus", meta_name(pk))))["meta"]["version"] == 3
    assert indexes.counters()["snapshot_writes"] == 2


def test_older_snapshot_never_replaces_a_newer_one(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(10, seed=17)
    add_faces(sqlite_db, "faces", vectors[:5])
    behind = worker(sqlite_db, store)
    behind.refresh(pk)  # writes v1
    add_faces(sqlite_db, "faces", vectors[5:])
    assert worker(sqlite_db, store).snapshot(pk)  # another worker writes v2
    entry = behind._entry(pk)
    assert behind._write_snapshot(pk, entry) is False  # still at v1: leaves v2 alone
    assert json.loads(store.get(ObjectRef("argus", meta_name(pk))))["meta"]["version"] == 2


def test_drop_deletes_the_snapshot(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    add_faces(sqlite_db, "faces", random_unit(5, seed=18))
    indexes = worker(sqlite_db, store)
    indexes.refresh(pk)
    indexes.drop(pk)
    assert indexes.info(pk) is None
    for name in (meta_name(pk), snapshot_name(pk)):
        with pytest.raises(ObjectNotFound):
            store.get(ObjectRef("argus", name))


def test_evicted_index_comes_back_from_its_snapshot(sqlite_db: Database, store: LocalObjectStore) -> None:
    pk = create_collection(sqlite_db)
    vectors = random_unit(5, seed=23)
    added = add_faces(sqlite_db, "faces", vectors)
    indexes = worker(sqlite_db, store)
    indexes.refresh(pk)
    indexes.evict(pk)
    assert indexes.info(pk) is None
    _, seqs = indexes.search(pk, vectors, 1)
    assert seqs[:, 0].tolist() == [seq for _, seq in added]
    assert (indexes.counters().get("rebuilds"), indexes.counters().get("snapshot_loads")) == (1, 1)


def test_growth_past_the_threshold_retrains_to_ivf_in_the_background(
    sqlite_db: Database, store: LocalObjectStore
) -> None:
    pk = create_collection(sqlite_db)
    vectors = clustered(120, 5, seed=19)
    added = add_faces(sqlite_db, "faces", vectors[:300])
    indexes = worker(sqlite_db, store, background=True)
    indexes.refresh(pk)
    indexes.wait(30)
    added += add_faces(sqlite_db, "faces", vectors[300:])
    _, during = indexes.search(pk, vectors, 1)  # answers from the flat index while the IVF trains
    indexes.wait(30)
    _, after = indexes.search(pk, vectors, 1)
    indexes.close()
    assert during[:, 0].tolist() == [seq for _, seq in added]
    assert after[:, 0].tolist() == [seq for _, seq in added]
    assert (indexes.info(pk).kind, indexes.counters().get("retrains")) == ("ivf", 1)  # type: ignore[union-attr]
    assert VectorIndex.peek(store.get(ObjectRef("argus", snapshot_name(pk))))["kind"] == "ivf"


def test_changes_during_a_retrain_are_replayed_on_the_new_index(
    sqlite_db: Database, store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pk = create_collection(sqlite_db)
    vectors = clustered(140, 5, seed=20)
    added = add_faces(sqlite_db, "faces", vectors[:300])
    indexes = worker(sqlite_db, store)
    entry = indexes._entry(pk)
    indexes._sync(pk, entry)
    added += add_faces(sqlite_db, "faces", vectors[300:301])
    indexes._sync(pk, entry)  # flat with 301 faces, due a retrain
    old = entry.index
    assert old is not None and old.needs_retrain
    original = VectorIndex.build

    def build_then_change(*args: Any, **kwargs: Any) -> VectorIndex:
        built = original(*args, **kwargs)
        more = add_faces(sqlite_db, "faces", vectors[301:])
        delete_faces(sqlite_db, "faces", [added[0][0]])
        with entry.lock:
            indexes._sync(pk, entry)  # the old index catches up meanwhile
        added.extend(more)
        return built

    monkeypatch.setattr(VectorIndex, "build", build_then_change)
    indexes._retrain(pk, entry, old)
    seqs, _ = entry.index.contents()  # type: ignore[union-attr]
    assert entry.index is not old and entry.index.kind == "ivf"  # type: ignore[union-attr]
    assert set(seqs.tolist()) == {seq for _, seq in added[1:]} == live_seqs(sqlite_db, pk)


def test_two_workers_never_return_a_face_deleted_before_the_search(
    postgres_db: Database, store: LocalObjectStore
) -> None:
    pk = create_collection(postgres_db)
    vectors = random_unit(400, seed=21)
    writer, reader = worker(postgres_db, store), worker(postgres_db, store)
    faces = add_faces(postgres_db, "faces", vectors[:100])
    stop = threading.Event()

    def write() -> None:
        position = 100
        while not stop.is_set() and position < 400:
            faces.extend(add_faces(postgres_db, "faces", vectors[position : position + 10]))
            position += 10
            delete_faces(postgres_db, "faces", [faces[position - 60][0], faces[position - 55][0]])
            writer.refresh(pk)

    thread = threading.Thread(target=write)
    thread.start()
    violations: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while thread.is_alive() and time.monotonic() < deadline:
        before = faces_version(postgres_db, pk)
        _, seqs = reader.search(pk, vectors[len(seen) % 400], 1000)  # every face the index holds
        seen.add(before)
        returned = [int(s) for s in seqs[0] if s >= 0]
        with postgres_db.session() as session:
            deleted_at = dict(
                session.execute(
                    select(FaceTombstone.seq, FaceTombstone.version).where(
                        FaceTombstone.collection_pk == pk, FaceTombstone.seq.in_(returned)
                    )
                ).all()
            )
        violations += [(seq, version, before) for seq, version in deleted_at.items() if version <= before]
    stop.set()
    thread.join()
    assert len(seen) >= 10  # searched at many versions while the other worker wrote
    assert violations == []
    _, final = reader.search(pk, vectors, 1000)
    assert set(final[0][final[0] >= 0].tolist()) == live_seqs(postgres_db, pk)


def test_snapshot_meta_is_written_after_the_object(
    sqlite_db: Database, store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pk = create_collection(sqlite_db)
    add_faces(sqlite_db, "faces", random_unit(3, seed=22))
    order: list[str] = []
    put = store.put

    def recording_put(ref: ObjectRef, data: bytes, content_type: str = "application/octet-stream") -> None:
        order.append(ref.name)
        put(ref, data, content_type)

    monkeypatch.setattr(store, "put", recording_put)
    worker(sqlite_db, store).refresh(pk)
    assert order == [snapshot_name(pk), meta_name(pk)]


def test_past_the_memory_budget_the_least_recently_searched_index_is_evicted(
    sqlite_db: Database, store: LocalObjectStore
) -> None:
    first, second = create_collection(sqlite_db, "first"), create_collection(sqlite_db, "second")
    vectors = random_unit(100, seed=11)
    add_faces(sqlite_db, "first", vectors)
    add_faces(sqlite_db, "second", vectors)
    one_index = 100 * (128 * 4 + 8)
    indexes = worker(sqlite_db, store, background=False, memory_budget_bytes=one_index)
    indexes.search(first, vectors[:1], 1)
    indexes.search(second, vectors[:1], 1)
    assert indexes.info(first) is None
    assert indexes.info(second) is not None
    assert indexes.memory_bytes() == one_index
    assert indexes.counters()["evictions"] == 1


def test_an_evicted_index_answers_again_from_its_snapshot(
    sqlite_db: Database, store: LocalObjectStore
) -> None:
    first, second = create_collection(sqlite_db, "first"), create_collection(sqlite_db, "second")
    vectors = random_unit(50, seed=12)
    add_faces(sqlite_db, "first", vectors)
    add_faces(sqlite_db, "second", vectors)
    indexes = worker(sqlite_db, store, background=False, memory_budget_bytes=1)
    indexes.search(first, vectors[:1], 1)
    indexes.search(second, vectors[:1], 1)
    loads = indexes.counters().get("snapshot_loads", 0)
    _, seqs = indexes.search(first, vectors[7:8], 1)
    assert seqs[0, 0] == 8
    assert indexes.counters()["snapshot_loads"] == loads + 1
