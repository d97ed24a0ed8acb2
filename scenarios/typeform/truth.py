"""Ground truth of the Typeform scenarios, derived from the seeded world (never literals).

The forms' index (:class:`mockapis.typeform.data.Form`) says how many responses each form
has, so that choosing a form builds no response; the answers a check compares against are
read from the responses' index when grading (deferred).
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from collections.abc import Mapping
from typing import Any

from mockapis.typeform.data import FORMS, RESPONSES, WORKSPACES, Form, Response
from mockapis.world import World

Truth = dict[str, Any]


def forms(world: World) -> list[Form]:
    """Every form's index entry, in id order (a stable order for the RNG)."""
    index: Mapping[str, Form] = world.index(FORMS)
    return [index[k] for k in sorted(index)]


def choice_counts(world: World, rng: random.Random) -> Truth:
    """How often each choice of a form's first (multiple-choice) question was picked, for a
    form with more responses than the default page of 25 (and at most 1000)."""
    form = rng.choice([f for f in forms(world) if 25 < f.responses <= 1000])
    field = world.table(FORMS)[form.id]["fields"][0]
    return {
        "inputs": {"form": form.title, "question": field["title"]},
        "expected": functools.partial(_choice_counts, form.id),
    }


def _choice_counts(form_id: str, world: World) -> dict[str, Any]:
    """Label -> how many of the form's responses picked it (deferred: the task does not need
    the responses)."""
    labels = [c["label"] for c in world.table(FORMS)[form_id]["fields"][0]["properties"]["choices"]]
    responses: Mapping[str, Response] = world.index(RESPONSES)
    counts = Counter(r.choice for r in responses.values() if r.form_id == form_id)
    return {"counts": {label: counts[k] for k, label in enumerate(labels)}}


def workspace_form_counts(world: World, rng: random.Random) -> Truth:
    """How many forms each workspace holds (more workspaces than the default page of 10)."""
    counts = Counter(f.workspace_id for f in forms(world))
    names = {w["id"]: w["name"] for w in world.table(WORKSPACES).values()}
    return {"inputs": {}, "expected": {"counts": {name: counts[k] for k, name in names.items()}}}


def all_response_ids(world: World, rng: random.Random) -> Truth:
    """Every response id of the form with more responses than the largest page (1000)."""
    big = max(forms(world), key=lambda f: f.responses)
    if big.responses <= 1000:
        raise ValueError(f"the busiest form has only {big.responses} responses: grow the world")
    return {
        "inputs": {"form": big.title},
        "expected": functools.partial(_response_ids, big.id),
    }


def _response_ids(form_id: str, world: World) -> dict[str, Any]:
    """The form's response ids (deferred)."""
    responses: Mapping[str, Response] = world.index(RESPONSES)
    ids = sorted(r.token for r in responses.values() if r.form_id == form_id)
    return {"ids": ids, "count": len(ids)}
