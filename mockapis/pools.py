"""Pools of realistic values (names, companies, addresses, words), drawn by the seeders.

A seeded world draws its values from these pools with its own RNG: a record costs a few list
lookups instead of a dozen Faker calls (Faker's ``street_address`` alone takes ~60 µs). The
pools were made once by the pinned Faker and ship as ``pools.json``, so that worlds do not
change with the Faker installed beside apibench; ``python -m mockapis.pools`` remakes the
file and ``--check`` verifies it (a test runs the check). A pool keeps Faker's frequencies:
a common surname appears in it as often as Faker draws it.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mockapis.shipped import remake

__all__ = ["POOLS", "POOLS_PATH", "generate", "pool"]

POOLS_PATH = Path(__file__).with_name("pools.json")

FAKER_SEED = 20_261_204
"""The seed the pools were drawn with (changing it changes every world: bump the env version)."""

POOLS: dict[str, tuple[int, Callable[[Any], str]]] = {
    "first_name": (2000, lambda f: f.first_name()),
    "last_name": (2000, lambda f: f.last_name()),
    "company": (1000, lambda f: f.company()),
    "catch_phrase": (1000, lambda f: f.catch_phrase()),
    "bs": (1000, lambda f: f.bs()),
    "job": (600, lambda f: f.job()),
    "city": (1000, lambda f: f.city()),
    "street_address": (1000, lambda f: f.street_address()),
    "postcode": (1000, lambda f: f.postcode()),
    "state_abbr": (500, lambda f: f.state_abbr(include_territories=False)),
    "phone_number": (500, lambda f: f.phone_number()),
    "domain_word": (600, lambda f: f.domain_word()),
    "file_stem": (600, lambda f: f.file_name(extension="x")[:-2]),
    "color_name": (300, lambda f: f.color_name()),
}
"""Pool name -> (size, how one value is drawn from a ``Faker("en_US")``)."""


def generate() -> dict[str, list[str]]:
    """Every pool, drawn by the pinned Faker (and its lorem word list, whole)."""
    from faker import Faker  # only to remake the pools: worlds never call Faker

    fake = Faker("en_US")
    made: dict[str, list[str]] = {}
    for name, (size, draw) in POOLS.items():
        fake.seed_instance(FAKER_SEED)
        made[name] = [draw(fake) for _ in range(size)]
    made["lorem_word"] = list(fake.get_words_list())
    return made


@functools.cache
def _load() -> dict[str, tuple[str, ...]]:
    with POOLS_PATH.open(encoding="utf-8") as handle:
        return {name: tuple(values) for name, values in json.load(handle).items()}


def pool(name: str) -> tuple[str, ...]:
    """The pool ``name`` (``KeyError`` naming the known pools for an unknown one)."""
    pools = _load()
    try:
        return pools[name]
    except KeyError:
        raise KeyError(f"no pool {name!r}; pools: {', '.join(sorted(pools))}") from None


def _dump(pools: dict[str, list[str]]) -> str:
    return json.dumps(pools, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Remake ``pools.json`` from the pinned Faker, or ``--check`` that it is up to date."""
    return remake(POOLS_PATH, lambda: _dump(generate()), "python -m mockapis.pools", argv)


if __name__ == "__main__":
    sys.exit(main())
