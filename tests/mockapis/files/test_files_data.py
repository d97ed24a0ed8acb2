"""The seeded files: the index agrees with the rendered rows; bytes are stable per seed."""

from __future__ import annotations

import hashlib

import pytest

from mockapis.files import SERVICE
from mockapis.files.data import SAMPLE_SIZES
from mockapis.files.store import FILES, content
from mockapis.world import World


def _world(seed: int) -> World:
    world = World(seed)
    SERVICE.seed(world, dict(SERVICE.default_sizes))
    world.commit()
    return world


@pytest.mark.parametrize("seed", [0, 4, 2**31 - 2])
def test_index_agrees_with_rows(seed: int) -> None:
    world = _world(seed)
    rows, index = world.table(FILES), world.index(FILES)
    assert list(index) == list(rows)
    sizes = dict(SAMPLE_SIZES)
    for key, entry in index.items():
        row = rows[key]
        data = content(row)
        assert row["name"] == entry.name and row["size"] == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        if entry.kind == "sample":
            assert len(data) == sizes[entry.name] == entry.number
        else:
            assert entry.name.endswith(".csv" if entry.kind == "csv" else ".txt")
            assert data.decode().endswith("\n")
    assert {e.kind for e in index.values()} == {"sample", "csv", "text"}


def test_bytes_are_stable_per_seed() -> None:
    a, b = _world(8), _world(8)
    keys = list(a.table(FILES))
    assert [a.table(FILES)[k]["sha256"] for k in reversed(keys)] == [
        b.table(FILES)[k]["sha256"] for k in reversed(keys)
    ]
    assert a.table(FILES)[keys[0]] != _world(9).table(FILES).get(keys[0])
