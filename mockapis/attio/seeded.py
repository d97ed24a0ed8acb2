"""What the seeded records of every Attio table share: their write context, their ids and
times drawn from row words, their rows made when read."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

from mockapis import seeding
from mockapis.attio.schema import OBJECTS
from mockapis.attio.values import WriteContext, seeded_values
from mockapis.attio.writes import build_record
from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.tables import LazyRow, Record
from mockapis.world import World

__all__ = [
    "DAY_NS",
    "DrawnRows",
    "SeededRows",
    "ascii_letters",
    "location",
    "microsecond_times",
    "seeded_context",
    "seeded_record",
]

DAY_NS = 86_400 * NS_PER_SECOND
_SEEDING = World()
"""The world of the seeders' write contexts: seeded values resolve nothing against it."""


def seeded_context(member: str, at: str) -> WriteContext:
    """The write context of a seeded record or entry: its creator, when."""
    return WriteContext(_SEEDING, {"type": "workspace-member", "id": member}, at)


def seeded_record(
    slug: str, record_id: str, at_ns: int, member: str, raw: Mapping[str, Any]
) -> Record:
    """A seeded record as the API returns it (``raw`` as write input, ``None`` skipped)."""
    obj = OBJECTS[slug]
    at = format_rfc3339_ns(at_ns)
    ctx = seeded_context(member, at)
    return build_record(obj, record_id, ctx, seeded_values(obj.attributes, raw, at, ctx.actor))


@functools.lru_cache(maxsize=4096)
def ascii_letters(text: str) -> str:
    """Lowercase letters and digits of ``text`` (names repeat: cached)."""
    return _NOT_ASCII.sub("", text.lower())


_NOT_ASCII = re.compile(r"[^a-z0-9]")


class DrawnRows:
    """Rows drawn as words, ``RowDraws(n, WIDTH, seed_value, "attio", TABLE)``, whose words 0
    and 1 are each row's record id: what the columnar indexes of seeded records share."""

    WIDTH: ClassVar[int]
    TABLE: ClassVar[str]
    seed_value: int
    n: int

    @functools.cached_property
    def draws(self) -> seeding.RowDraws:
        """The rows' words."""
        return seeding.RowDraws(self.n, self.WIDTH, self.seed_value, "attio", self.TABLE)

    @functools.cached_property
    def ids(self) -> list[str]:
        """Every drawn row's record id."""
        return self.draws.uuids(0)

    @functools.cached_property
    def _id_words(self) -> tuple[list[int], list[int]]:
        return self.draws.words(0), self.draws.words(1)

    def drawn_id(self, i: int) -> str:
        """Drawn row ``i``'s record id, the one :attr:`ids` holds, without making the column."""
        if "ids" in self.__dict__:
            return self.ids[i]
        words = self._id_words
        return str(uuid.UUID(int=words[0][i] << 64 | words[1][i], version=4))


def microsecond_times(stamps: list[int]) -> list[int]:
    """``stamps`` cut to microseconds (as Attio stores them), every one distinct: each record
    of a table has its own ``created_at``."""
    return seeding.distinct([ns - ns % 1000 for ns in stamps], 1000)


def location(
    city: tuple[str, str, str, str, str], line_1: str | None, postcode: str | None
) -> dict[str, Any]:
    """A location value's input: a catalogue city, with a street and postcode or not."""
    locality, region, country, lat, lon = city
    return {
        "line_1": line_1,
        "locality": locality,
        "region": region,
        "postcode": postcode,
        "country_code": country,
        "latitude": lat,
        "longitude": lon,
    }


class SeededRows(Mapping[str, LazyRow]):
    """A seeded table's rows, made when first read (a source's output: reading an index
    makes no row), each a :class:`LazyRow` of ``render(index, position)``.

    A plain mapping, not :class:`~mockapis.tables.Partitions`: a reset that writes to the table
    keeps its other rows lazy (a partitioned table renders every row when snapshotted)."""

    def __init__(self, render: Callable[[Any, int], Record], index: Mapping[str, Any]) -> None:
        self.render, self.index = render, index

    @functools.cached_property
    def _rows(self) -> dict[str, LazyRow]:
        render, index = self.render, self.index
        return {key: LazyRow(render, index, i) for i, key in enumerate(index)}

    def __getitem__(self, key: str) -> LazyRow:
        return self._rows[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self.index)
