"""Ground truth of the Confluence scenarios, derived from the seeded world (never literals).

They read the seeded tables' indexes (:meth:`World.index`: the spaces' page counts, every
page's space, parent and title) and render only the page they pick; the page ids of a space
are read when grading (deferred).
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Mapping
from typing import Any

from mockapis.confluence.data import CONTENT, SPACES, Content, Space
from mockapis.world import World

Truth = dict[str, Any]


def archived_flags(world: World, rng: random.Random) -> Truth:
    """Every space key with whether the space is archived (more spaces than a default page)."""
    spaces = world.table(SPACES).values()
    return {
        "inputs": {},
        "expected": {"flags": {s["key"]: s["status"] == "archived" for s in spaces}},
    }


def space_pages_by_id(world: World, rng: random.Random) -> Truth:
    """The page ids of the space with more pages than the largest page of results (100),
    named by its numeric id."""
    spaces: Mapping[str, Space] = world.index(SPACES)
    space = max(spaces.values(), key=lambda s: s.pages)
    if space.pages <= 100:
        raise ValueError(f"the busiest space has only {space.pages} pages: grow the world")
    return {
        "inputs": {"space_id": space.id},
        "expected": functools.partial(_page_ids, space.key),
    }


def _page_ids(key: str, world: World) -> dict[str, Any]:
    """The space's page ids (deferred: the task does not need them)."""
    content: Mapping[str, Content] = world.index(CONTENT)
    return {
        "ids": sorted(c.id for c in content.values() if c.space_key == key and c.type == "page")
    }


def page_body(world: World, rng: random.Random) -> Truth:
    """The storage-format body of one page, named by its title and its space's name."""
    spaces: Mapping[str, Space] = world.index(SPACES)
    named = Counter(s.name for s in spaces.values())
    content: Mapping[str, Content] = world.index(CONTENT)
    pages = sorted(
        (
            c
            for c in content.values()
            if c.type == "page" and c.parent_id is not None and named[spaces[c.space_key].name] == 1
        ),
        key=lambda c: int(c.id),
    )
    page = rng.choice(pages)
    return {
        "inputs": {"title": page.title, "space": spaces[page.space_key].name},
        "expected": {"body": world.table(CONTENT)[page.id]["body"]},
    }
