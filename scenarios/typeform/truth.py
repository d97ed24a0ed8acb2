"""Ground truth of the Typeform scenarios, derived from the seeded world (never literals)."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]


def _responses(world: World) -> dict[str, list[Record]]:
    found: dict[str, list[Record]] = {}
    for row in world.table("typeform.responses").values():
        found.setdefault(row["form_id"], []).append(row["item"])
    return found


def choice_counts(world: World, rng: random.Random) -> Truth:
    """How often each choice of a form's first (multiple-choice) question was picked, for a
    form with more responses than the default page of 25 (and at most 1000)."""
    by_form = _responses(world)
    forms = sorted(
        (
            f
            for f in world.table("typeform.forms").values()
            if 25 < len(by_form.get(f["id"], [])) <= 1000
        ),
        key=lambda f: f["id"],
    )
    form = rng.choice(forms)
    field = form["fields"][0]
    counts = Counter(
        a["choice"]["label"]
        for item in by_form[form["id"]]
        for a in item["answers"]
        if a["field"]["id"] == field["id"]
    )
    labels = [c["label"] for c in field["properties"]["choices"]]
    return {
        "inputs": {"form": form["title"], "question": field["title"]},
        "expected": {"counts": {label: counts[label] for label in labels}},
    }


def workspace_form_counts(world: World, rng: random.Random) -> Truth:
    """How many forms each workspace holds (more workspaces than the default page of 10)."""
    counts = Counter(f["workspace_id"] for f in world.table("typeform.forms").values())
    return {
        "inputs": {},
        "expected": {
            "counts": {
                w["name"]: counts[w["id"]] for w in world.table("typeform.workspaces").values()
            }
        },
    }


def all_response_ids(world: World, rng: random.Random) -> Truth:
    """Every response id of the form with more responses than the largest page (1000)."""
    by_form = _responses(world)
    big = max(world.table("typeform.forms").values(), key=lambda f: len(by_form.get(f["id"], [])))
    ids = sorted(item["response_id"] for item in by_form[big["id"]])
    if len(ids) <= 1000:
        raise ValueError(f"the busiest form has only {len(ids)} responses: grow the world")
    return {"inputs": {"form": big["title"]}, "expected": {"ids": ids, "count": len(ids)}}
