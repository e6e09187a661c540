"""VectorIndex: exact search when small, a trained IVF past the threshold, snapshots, real removal."""

from __future__ import annotations

import numpy as np
import pytest

from argus.core.index.vector_index import IndexParams, VectorIndex, lists_for
from tests.core.index.helpers import clustered, exact_top, random_unit, recall

SMALL = IndexParams(exact_max=1000)


def test_each_added_vector_is_its_own_nearest() -> None:
    vectors = random_unit(3, seed=1)
    index = VectorIndex()
    index.add([10, 20, 30], vectors)
    sims, seqs = index.search(vectors, 1)
    assert seqs[:, 0].tolist() == [10, 20, 30]
    np.testing.assert_allclose(sims[:, 0], 1.0, atol=1e-5)


def test_search_past_the_size_pads_with_minus_one_and_minus_infinity() -> None:
    index = VectorIndex()
    index.add([1, 2, 3], random_unit(3, seed=2))
    sims, seqs = index.search(random_unit(1, seed=3), 5)
    assert seqs[0, 3:].tolist() == [-1, -1]
    assert np.isneginf(sims[0, 3:]).all()
    assert sorted(seqs[0, :3].tolist()) == [1, 2, 3]


def test_empty_index_answers_nothing() -> None:
    sims, seqs = VectorIndex().search(random_unit(2, seed=4), 3)
    assert seqs.tolist() == [[-1, -1, -1], [-1, -1, -1]]
    assert np.isneginf(sims).all()


def test_removed_seq_is_never_returned_again() -> None:
    vectors = random_unit(4, seed=5)
    index = VectorIndex()
    index.add([1, 2, 3, 4], vectors)
    assert index.remove([2, 99]) == 1
    _, seqs = index.search(vectors, 4)
    assert len(index) == 3
    assert 2 not in seqs
    assert index.seqs().tolist() == [1, 3, 4]


def test_adding_a_stored_seq_replaces_its_vector() -> None:
    first, second = random_unit(2, seed=6)
    index = VectorIndex()
    index.add([7], first[None])
    index.add([7], second[None])
    seqs, vectors = index.contents()
    assert seqs.tolist() == [7]
    np.testing.assert_array_equal(vectors[0], second)


def test_flat_index_returns_the_exact_nearest() -> None:
    base = random_unit(3000, seed=7)
    seqs = np.arange(100, 3100, dtype=np.int64)
    queries = random_unit(50, seed=8)
    index = VectorIndex.build(seqs, base)
    sims, found = index.search(queries, 10)
    assert index.kind == "flat"
    np.testing.assert_array_equal(found, exact_top(base, seqs, queries, 10))
    np.testing.assert_allclose(sims, np.sort(queries @ base.T, axis=1)[:, ::-1][:, :10], atol=1e-5)


def test_index_is_flat_up_to_the_threshold() -> None:
    index = VectorIndex(SMALL)
    index.add(np.arange(1000), clustered(200, 5, seed=9))
    assert (index.kind, len(index)) == ("flat", 1000)


def test_index_switches_to_ivf_one_past_the_threshold() -> None:
    vectors = clustered(201, 5, seed=10)
    index = VectorIndex(SMALL)
    index.add(np.arange(1000), vectors[:1000])
    index.add([1000], vectors[1000:1001])
    assert (index.kind, len(index), index.trained_size, index.nlist) == ("ivf", 1001, 1001, lists_for(1001))
    assert index.seqs().tolist() == list(range(1001))


def test_ivf_keeps_recall_at_10_on_clustered_faces() -> None:
    faces = clustered(1000, 5, seed=11)  # 5000 faces of 1000 people
    base, queries = faces[::5].copy(), faces[1::5][:300].copy()  # queries: other photos of the people
    base = np.concatenate([base, faces[2::5], faces[3::5], faces[4::5]])
    seqs = np.arange(len(base), dtype=np.int64) * 3 + 1
    index = VectorIndex.build(seqs, base, SMALL)
    _, found = index.search(queries, 10)
    assert index.kind == "ivf"
    assert index.nprobe is not None and index.nlist is not None and index.nprobe < index.nlist
    assert recall(found, exact_top(base, seqs, queries, 10)) >= 0.99


def test_ivf_removal_takes_the_vectors_out() -> None:
    vectors = clustered(400, 5, seed=12)
    index = VectorIndex.build(np.arange(2000), vectors, SMALL)
    assert index.remove(np.arange(0, 2000, 2)) == 1000
    _, found = index.search(vectors[:10], 2000)
    assert (index.kind, len(index)) == ("ivf", 1000)
    assert index.seqs().tolist() == list(range(1, 2000, 2))
    assert set(found[found >= 0].tolist()) <= set(range(1, 2000, 2))


def test_ivf_retrains_once_grown_four_times() -> None:
    vectors = clustered(1000, 5, seed=13)
    index = VectorIndex.build(np.arange(1200), vectors[:1200], SMALL)
    index.add(np.arange(1200, 4800), vectors[1200:4800])
    assert index.trained_size == 1200
    index.add([4800], vectors[4800:4801])
    assert (index.trained_size, index.nlist) == (4801, lists_for(4801))


def test_ivf_goes_back_to_flat_once_shrunk_below_the_threshold_four_times() -> None:
    index = VectorIndex.build(np.arange(4000), clustered(800, 5, seed=14), SMALL)
    index.remove(np.arange(3001))
    assert (index.kind, len(index)) == ("flat", 999)


def test_needs_retrain_without_auto_retrain_leaves_the_layout_alone() -> None:
    index = VectorIndex(SMALL, auto_retrain=False)
    index.add(np.arange(1001), clustered(200, 6, seed=15)[:1001])
    assert (index.kind, index.needs_retrain) == ("flat", True)
    index.retrain()
    assert (index.kind, index.needs_retrain) == ("ivf", False)


def test_ivf_keeps_vectors_to_float16_precision() -> None:
    vectors = clustered(300, 5, seed=16)
    index = VectorIndex.build(np.arange(1500), vectors, SMALL)
    seqs, stored = index.contents()
    assert seqs.tolist() == list(range(1500))
    np.testing.assert_allclose(stored, vectors, rtol=2**-10, atol=2**-24)  # one float16 step


@pytest.mark.parametrize("count", [500, 1500], ids=["flat", "ivf"])
def test_snapshot_round_trip_answers_the_same(count: int) -> None:
    vectors = clustered(count // 5, 5, seed=17)
    index = VectorIndex.build(np.arange(count) + 5, vectors, SMALL)
    copy = VectorIndex.from_bytes(index.to_bytes({"note": "x"}), SMALL)
    queries = random_unit(20, seed=18)
    assert (copy.kind, len(copy), copy.nprobe, copy.trained_size) == (
        index.kind,
        count,
        index.nprobe,
        index.trained_size,
    )
    for got, expected in zip(copy.search(queries, 10), index.search(queries, 10), strict=True):
        np.testing.assert_array_equal(got, expected)


def test_snapshot_header_carries_the_callers_facts() -> None:
    data = VectorIndex.build([3], random_unit(1, seed=19)).to_bytes({"version": 12})
    header = VectorIndex.peek(data)
    assert (header["meta"], header["kind"], header["count"], header["max_seq"]) == (
        {"version": 12},
        "flat",
        1,
        3,
    )


def test_damaged_snapshot_is_refused() -> None:
    data = bytearray(VectorIndex.build(np.arange(10), random_unit(10, seed=20)).to_bytes())
    data[-100] ^= 0xFF
    with pytest.raises(ValueError, match="checksum"):
        VectorIndex.from_bytes(bytes(data))


def test_truncated_snapshot_is_refused() -> None:
    data = VectorIndex.build(np.arange(10), random_unit(10, seed=21)).to_bytes()
    with pytest.raises(ValueError):
        VectorIndex.from_bytes(data[:-10])


def test_foreign_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="not a vector index snapshot"):
        VectorIndex.from_bytes(b"IxFI" + bytes(100))


def test_snapshot_of_another_dimension_is_refused() -> None:
    data = VectorIndex.build([1], random_unit(1, seed=22, dim=64), IndexParams(dim=64)).to_bytes()
    with pytest.raises(ValueError, match="64 dimensions"):
        VectorIndex.from_bytes(data)


def test_vectors_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(ValueError, match=r"shape \(n, 128\)"):
        VectorIndex().add([1], np.zeros((1, 64), np.float32))


def test_duplicate_seqs_in_one_batch_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        VectorIndex().add([1, 1], random_unit(2, seed=23))
