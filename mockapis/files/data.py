"""The seeded account: an API key, binary samples of fixed sizes and a few text documents."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from faker import Faker

from mockapis.files.access import KEYS
from mockapis.files.store import FILES, file_key, iso, new_row
from mockapis.service import resolve_sizes
from mockapis.world import World, derive_seed

__all__ = ["ACCOUNT", "DEFAULT_SIZES", "SAMPLE_SIZES", "seed"]

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
_START = dt.date(2023, 1, 1)
_END = dt.date(2023, 12, 31)
DAY_NS = 86_400 * 10**9


def _csv(fake: Faker, rng: random.Random) -> bytes:
    lines = ["date,region,orders,revenue"]
    for _ in range(rng.randint(8, 40)):
        cents = rng.randrange(10_000, 5_000_000)
        lines.append(
            f"{fake.date_between_dates(date_start=_START, date_end=_END).isoformat()},"
            f"{rng.choice(_REGIONS)},{rng.randrange(1, 400)},{cents // 100}.{cents % 100:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _text(fake: Faker) -> bytes:
    return ("\n\n".join(fake.paragraph(nb_sentences=5) for _ in range(3)) + "\n").encode()


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """A key, the binary samples and ``documents`` text files; bearer credentials."""
    counts = resolve_sizes("files", sizes, DEFAULT_SIZES)
    rng = random.Random(derive_seed(world.seed, "files", "account"))
    token = "fs_" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
    world.table(KEYS).put(token, {"token": token, "account": ACCOUNT})
    table = world.table(FILES)
    files: list[tuple[str, bytes]] = []
    for name, size in SAMPLE_SIZES[: counts["samples"]]:
        files.append((name, random.Random(derive_seed(world.seed, "files", name)).randbytes(size)))
    fake = Faker("en_US")
    for i in range(counts["documents"]):
        doc_rng = random.Random(derive_seed(world.seed, "files", "document", i))
        fake.seed_instance(doc_rng.getrandbits(32))
        if i % 2 == 0:
            name = f"reports/{fake.word()}-{2019 + i % 6}-q{i % 4 + 1}.csv"
            files.append((name, _csv(fake, doc_rng)))
        else:
            files.append((f"notes/{fake.word()}-{fake.word()}.txt", _text(fake)))
    for age, (name, data) in enumerate(reversed(files)):
        stamp = iso(world.clock.now_ns - (age + 1) * DAY_NS)
        table.put(file_key(ACCOUNT, name), new_row(ACCOUNT, name, data, stamp))
    return {"type": "bearer", "token": token}
