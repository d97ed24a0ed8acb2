"""The seeded site: determinism, sizes, indexes that agree with the rows, the page tree."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.confluence import SERVICE
from mockapis.confluence.data import CONTENT, SPACES
from mockapis.world import World
from tests.inprocess import seeded_world

SEEDS = [0, 8, 1_259_921_049]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


def test_same_seed_same_world_different_seed_different_world() -> None:
    assert _seeded(3).state_hash() == _seeded(3).state_hash() != _seeded(4).state_hash()


def test_sizes() -> None:
    world = _seeded(2, {"spaces": 6, "pages": 40, "blogposts": 3})
    kinds = Counter(c["type"] for c in world.table(CONTENT).values())
    assert kinds == {"page": 40, "blogpost": 3} and len(world.table(SPACES)) <= 6
    empty = _seeded(2, {"spaces": 0, "pages": 0, "blogposts": 0})
    assert not empty.table(SPACES) and not empty.table(CONTENT)
    with pytest.raises(ValueError, match="pages"):
        _seeded(1, {"page": 3})


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_rows(seed: int) -> None:
    world = _seeded(seed)
    content = list(world.table(CONTENT).values())
    spaces = world.index(SPACES)
    assert list(spaces) == list(world.table(SPACES))
    pages = Counter(c["space_key"] for c in content if c["type"] == "page")
    order = sorted(content, key=lambda c: int(c["id"]))
    for key, row in world.table(SPACES).items():
        entry = spaces[key]
        assert (entry.key, entry.id, entry.name, entry.status) == (
            row["key"],
            row["id"],
            row["name"],
            row["status"],
        )
        assert entry.pages == pages[key]
        assert order[entry.first]["id"] == row["homepage_id"]
        if entry.featured is not None:
            page = world.table(CONTENT)[entry.featured.id]
            assert (page["space_key"], page["position"], page["title"]) == (
                key,
                entry.featured.position,
                entry.featured.title,
            )
    featured = [s for s in spaces.values() if s.featured]
    names = Counter(s.name for s in spaces.values())
    assert len(featured) == 1 and names[featured[0].name] == 1
    assert featured[0].featured is not None and featured[0].featured.position > 0
    index = world.index(CONTENT)
    assert list(index) == list(world.table(CONTENT))
    for row in content:
        entry = index[row["id"]]
        assert entry == (
            row["id"],
            row["type"],
            row["space_key"],
            row["parent_id"],
            row["title"],
            row["position"],
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    spaces = world.table(SPACES)
    content = world.table(CONTENT)
    assert {s["status"] for s in spaces.values()} == {"current", "archived"}
    pages = Counter(c["space_key"] for c in content.values() if c["type"] == "page")
    assert pages.most_common(1)[0][1] > 100
    for key, space in spaces.items():
        home = content[space["homepage_id"]]
        assert home["space_key"] == key and home["parent_id"] is None
        assert home["title"] == f"{space['name']} Home"
        own = [c for c in content.values() if c["space_key"] == key and c["type"] == "page"]
        assert len({c["title"] for c in own}) == len(own), "a title finds a page in its space"
        for page in own:
            if page["parent_id"] is not None:
                parent = content[page["parent_id"]]
                assert parent["space_key"] == key and int(parent["id"]) < int(page["id"])
        assert all(space["created"] < c["created"] <= c["updated"] for c in own)
    ids = [int(k) for k in content]
    assert len(set(ids)) == len(ids)
