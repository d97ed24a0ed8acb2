"""The seeded account: an API key, binary samples of fixed sizes and a few text documents.

The files are one lazy source (:meth:`World.lazy`): their names are drawn up front (the
index), their bytes (a 1 MiB sample among them) only when a row is read, each from its own
stream, so that a row's bytes are the same whenever it is rendered.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import NamedTuple

from mockapis import seeding
from mockapis.files.access import KEYS
from mockapis.files.store import FILES, file_key, iso, new_row
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World, derive_seed

__all__ = ["ACCOUNT", "DEFAULT_SIZES", "SAMPLE_SIZES", "SeededFile", "content_of", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"samples": 3, "documents": 5}
"""``samples``: how many of the binary samples (1 KiB, 64 KiB, 1 MiB) to store, smallest
first; ``documents``: CSV and text files."""
SAMPLE_SIZES = (
    ("samples/1KiB.bin", 1024),
    ("samples/64KiB.bin", 65_536),
    ("samples/1MiB.bin", 1_048_576),
)
ACCOUNT = "acct_1"
_REGIONS = ("north", "south", "east", "west", "central")
_YEAR_START = 738_521
"""The proleptic ordinal of 2023-01-01: the CSV reports' rows fall in 2023."""
DAY_NS = 86_400 * 10**9


class SeededFile(NamedTuple):
    """A seeded file's index entry: its name and what its bytes are made from."""

    name: str
    kind: str
    """``sample``, ``csv`` or ``text``."""
    number: int
    """The sample's size in bytes, or the document's number."""


def _csv(rng: random.Random) -> bytes:
    lines = ["date,region,orders,revenue"]
    for _ in range(rng.randint(8, 40)):
        cents = rng.randrange(10_000, 5_000_000)
        day = dt.date.fromordinal(_YEAR_START + rng.randrange(365)).isoformat()
        lines.append(
            f"{day},{rng.choice(_REGIONS)},{rng.randrange(1, 400)},{cents // 100}.{cents % 100:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _text(rng: random.Random) -> bytes:
    return ("\n\n".join(seeding.paragraph(rng, 5) for _ in range(3)) + "\n").encode()


def content_of(seed_value: int, entry: SeededFile) -> bytes:
    """The bytes of a seeded file (drawn from its own stream)."""
    if entry.kind == "sample":
        return random.Random(derive_seed(seed_value, "files", entry.name)).randbytes(entry.number)
    rng = seeding.stream(seed_value, "files", "document", entry.number)
    return _csv(rng) if entry.kind == "csv" else _text(rng)


def _row(seed_value: int, entry: SeededFile, stamp: str) -> Record:
    return new_row(ACCOUNT, entry.name, content_of(seed_value, entry), stamp)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key, the binary samples and ``documents`` text files; bearer credentials."""
    counts = resolve_sizes("files", sizes, DEFAULT_SIZES)
    rng = seeding.stream(world.seed, "files", "account")
    token = f"fs_{seeding.hex_id(rng, 32)}"
    world.table(KEYS).put(token, {"token": token, "account": ACCOUNT})
    world.lazy(
        FILES, _files, world.seed, world.clock.now_ns, counts["samples"], counts["documents"]
    )
    return {"type": "bearer", "token": token}


def _files(seed_value: int, now_ns: int, samples: int, documents: int) -> BuiltTables:
    files = [SeededFile(name, "sample", size) for name, size in SAMPLE_SIZES[:samples]]
    rng = seeding.stream(seed_value, "files", "names")
    for i in range(documents):
        if i % 2 == 0:
            word = seeding.pick(rng, "lorem_word")
            files.append(SeededFile(f"reports/{word}-{2019 + i % 6}-q{i % 4 + 1}.csv", "csv", i))
        else:
            stem = "-".join(seeding.words(rng, 2))
            files.append(SeededFile(f"notes/{stem}.txt", "text", i))
    rows: dict[str, LazyRow] = {}
    index: dict[str, SeededFile] = {}
    # The newest file last: each file a day older than the next.
    for age, entry in enumerate(reversed(files)):
        key = file_key(ACCOUNT, entry.name)
        rows[key] = LazyRow(_row, seed_value, entry, iso(now_ns - (age + 1) * DAY_NS))
        index[key] = entry
    return {FILES: rows, index_key(FILES): index}
