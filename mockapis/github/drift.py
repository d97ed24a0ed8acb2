"""New repositories as a concurrent GitHub user would create them now (for ``pagination_drift``)."""

from __future__ import annotations

import random

from mockapis.github.data import iso
from mockapis.github.render import render_repo
from mockapis.tables import Record
from mockapis.world import World

__all__ = ["clone"]


def clone(world: World, table: str, rng: random.Random) -> tuple[str, Record] | None:
    """A new ``github.repos`` row for the owner of a random repo: a fresh name and id, now."""
    rows = world.table(table)
    if table != "github.repos" or not rows:
        return None
    template = rows[rng.choice(sorted(rows))]
    owner = template["owner"]
    name = f"{template['name']}-{rng.randrange(2, 10_000)}"
    while f"{owner['login']}/{name}" in rows:
        name += f"-{rng.randrange(2, 100)}"
    now = iso(world.clock.now_ns // 1_000_000_000)
    repo = render_repo(
        repo_id=max(r["id"] for r in rows.values()) + rng.randint(1, 97),
        owner=owner,
        name=name,
        private=template["private"],
        description=template["description"],
        fork=False,
        created_at=now,
        updated_at=now,
        pushed_at=now,
        size=0,
        stars=0,
        forks=0,
        language=template["language"],
        open_issues=0,
        topics=list(template["topics"]),
    )
    return repo["full_name"], repo
