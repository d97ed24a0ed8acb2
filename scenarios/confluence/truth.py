"""Ground truth of the Confluence scenarios, derived from the seeded world (never literals).

They read the spaces' index (:meth:`World.index`: page counts, the featured page) and defer
what needs the site's content (a space's page ids, a page's body) to grading.
"""

from __future__ import annotations

import functools
import random
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
    """The storage-format body of one page (the site's featured one: not a home page, in a
    space with a name of its own), named by its title and its space's name."""
    spaces: Mapping[str, Space] = world.index(SPACES)
    space = next(s for s in spaces.values() if s.featured)
    page = space.featured
    assert page is not None
    return {
        "inputs": {"title": page.title, "space": space.name},
        "expected": functools.partial(_body, page.id),
    }


def _body(page_id: str, world: World) -> dict[str, Any]:
    """The page's body (deferred: rendering it needs the site's content)."""
    return {"body": world.table(CONTENT)[page_id]["body"]}
