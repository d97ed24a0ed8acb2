"""Ground truth of the tus scenarios: a file to upload, made from the seed."""

from __future__ import annotations

import random
from typing import Any

from mockapis import seeding
from mockapis.world import World

Truth = dict[str, dict[str, Any]]

MIN_BYTES = 10_000
"""Well over the 4096-byte per-request limit: the file takes at least three PATCH bodies."""


def upload_file(world: World, rng: random.Random) -> Truth:
    """A text file of 10-14 kB (ASCII, so characters are bytes) and its name."""
    target = rng.randint(MIN_BYTES, MIN_BYTES + 4000)
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < target:
        paragraphs.append(seeding.paragraph(rng, 6))
    content = "\n\n".join(paragraphs) + "\n"
    filename = f"{'-'.join(seeding.words(rng, 2))}-notes.txt"
    inputs = {"filename": filename, "content": content}
    return {"inputs": inputs, "expected": {"filename": filename, "content": content}}
