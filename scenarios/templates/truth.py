"""Ground truth of the template scenarios: data made from the seed, rendered as the service
renders it."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import Any

from mockapis import seeding
from mockapis.tables import Record
from mockapis.templates.engine import render
from mockapis.world import World

# "expected" may be deferred: computed from the initial world when grading asks for it.
Truth = dict[str, dict[str, Any] | Callable[[World], dict[str, Any]]]


def stored(world: World, name: str) -> Record:
    """The seeded template called ``name``."""
    (row,) = [r for r in world.table("templates.templates").values() if r["name"] == name]
    return row


def release_notes(world: World, rng: random.Random) -> Truth:
    """Release notes for a version: 5-9 changes of three kinds, rendered by the stored
    ``release-notes`` template."""
    version = f"v{rng.randint(1, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    changes = [
        {"kind": rng.choice(["added", "changed", "fixed"]), "summary": seeding.sentence(rng, 7)}
        for _ in range(rng.randint(5, 9))
    ]
    template = stored(world, "release-notes")
    data = {"version": version, "date": date, "changes": changes}
    return {
        "inputs": {"name": "release-notes", "version": version, "date": date, "changes": changes},
        # Rendered at grading: the task does not show the output.
        "expected": functools.partial(_rendered, template["body"], template["format"], data),
    }


def _rendered(body: str, fmt: str, data: dict[str, Any], world: World) -> dict[str, Any]:
    return {"output": render(body, data, fmt=fmt)}


REFERENCE_LINE = (
    "- {{ qty }} × {{ item }} at {{ unit_amount|money(currency) }} = "
    "{{ (qty * unit_amount)|money(currency) }}"
)
"""A body that renders an invoice line as the task describes it."""


def _line(rng: random.Random) -> dict[str, Any]:
    return {
        "item": seeding.pick(rng, "lorem_word").title(),
        "qty": rng.randint(1, 40),
        "unit_amount": rng.randint(50, 250_000),
        "currency": rng.choice(["usd", "eur", "gbp"]),
    }


def invoice_line(world: World, rng: random.Random) -> Truth:
    """A template to create: one example given, three hidden cases to check it against."""
    example = _line(rng)
    cases = [_line(rng) for _ in range(3)]
    cases.append({**_line(rng), "qty": 1000, "unit_amount": 123_456})  # thousands
    name = f"invoice-line-{rng.randint(100, 999)}"
    return {
        "inputs": {
            "name": name,
            "example_data": example,
            "example_output": render(REFERENCE_LINE, example, fmt="markdown"),
        },
        # The hidden cases' outputs are rendered at grading.
        "expected": functools.partial(_cases, name, cases),
    }


def _cases(name: str, cases: list[dict[str, Any]], world: World) -> dict[str, Any]:
    return {
        "name": name,
        "cases": [{"data": c, "output": render(REFERENCE_LINE, c, fmt="markdown")} for c in cases],
    }
