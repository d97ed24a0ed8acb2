"""Ground truth of the Confluence scenarios, derived from the seeded world (never literals)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.world import World

Truth = dict[str, dict[str, Any]]


def archived_flags(world: World, rng: random.Random) -> Truth:
    """Every space key with whether the space is archived (more spaces than a default page)."""
    spaces = world.table("confluence.spaces").values()
    return {
        "inputs": {},
        "expected": {"flags": {s["key"]: s["status"] == "archived" for s in spaces}},
    }


def space_pages_by_id(world: World, rng: random.Random) -> Truth:
    """The page ids of the space with more pages than the largest page of results (100),
    named by its numeric id."""
    counts = Counter(
        c["space_key"] for c in world.table("confluence.content").values() if c["type"] == "page"
    )
    key = next(k for k, n in counts.most_common() if n > 100)
    space = world.table("confluence.spaces")[key]
    ids = sorted(
        c["id"]
        for c in world.table("confluence.content").values()
        if c["space_key"] == key and c["type"] == "page"
    )
    return {"inputs": {"space_id": space["id"]}, "expected": {"ids": ids}}


def page_body(world: World, rng: random.Random) -> Truth:
    """The storage-format body of one page, named by its title and its space's name."""
    names = {s["key"]: s["name"] for s in world.table("confluence.spaces").values()}
    named = Counter(names.values())
    pages = sorted(
        (
            c
            for c in world.table("confluence.content").values()
            if c["type"] == "page"
            and c["parent_id"] is not None
            and named[names[c["space_key"]]] == 1
        ),
        key=lambda c: int(c["id"]),
    )
    page = rng.choice(pages)
    return {
        "inputs": {"title": page["title"], "space": names[page["space_key"]]},
        "expected": {"body": page["body"]},
    }
