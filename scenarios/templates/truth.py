"""Ground truth of the template scenarios: data made from the seed, rendered as the service
renders it."""

from __future__ import annotations

import random
from typing import Any

from faker import Faker

from mockapis.templates.engine import render
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]


def stored(world: World, name: str) -> Record:
    """The seeded template called ``name``."""
    (row,) = [r for r in world.table("templates.templates").values() if r["name"] == name]
    return row


def release_notes(world: World, rng: random.Random) -> Truth:
    """Release notes for a version: 5-9 changes of three kinds, rendered by the stored
    ``release-notes`` template."""
    fake = Faker("en_US")
    fake.seed_instance(rng.getrandbits(32))
    version = f"v{rng.randint(1, 4)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    changes = [
        {"kind": rng.choice(["added", "changed", "fixed"]), "summary": fake.sentence(nb_words=7)}
        for _ in range(rng.randint(5, 9))
    ]
    template = stored(world, "release-notes")
    data = {"version": version, "date": date, "changes": changes}
    output = render(template["body"], data, fmt=template["format"])
    return {
        "inputs": {"name": "release-notes", "version": version, "date": date, "changes": changes},
        "expected": {"output": output},
    }


REFERENCE_LINE = (
    "- {{ qty }} × {{ item }} at {{ unit_amount|money(currency) }} = "
    "{{ (qty * unit_amount)|money(currency) }}"
)
"""A body that renders an invoice line as the task describes it."""


def _line(rng: random.Random, fake: Faker) -> dict[str, Any]:
    return {
        "item": str(fake.word()).title(),
        "qty": rng.randint(1, 40),
        "unit_amount": rng.randint(50, 250_000),
        "currency": rng.choice(["usd", "eur", "gbp"]),
    }


def invoice_line(world: World, rng: random.Random) -> Truth:
    """A template to create: one example given, three hidden cases to check it against."""
    fake = Faker("en_US")
    fake.seed_instance(rng.getrandbits(32))
    example = _line(rng, fake)
    cases = [_line(rng, fake) for _ in range(3)]
    cases.append({**_line(rng, fake), "qty": 1000, "unit_amount": 123_456})  # thousands
    name = f"invoice-line-{rng.randint(100, 999)}"
    return {
        "inputs": {
            "name": name,
            "example_data": example,
            "example_output": render(REFERENCE_LINE, example, fmt="markdown"),
        },
        "expected": {
            "name": name,
            "cases": [
                {"data": c, "output": render(REFERENCE_LINE, c, fmt="markdown")} for c in cases
            ],
        },
    }
