"""The seeded companies: their index, computed column by column when read, and their records.

A company's entry is drawn from its row of the table's :class:`~mockapis.seeding.RowDraws`;
only names (unique across the table) and domains (unique across companies sharing a name
stem) are resolved across rows (:mod:`mockapis.attio.naming`). So a truth reads what it needs
and no more: a segment costs the category and size columns, a foundation-year cut the date
columns, a company's domain the naming pass; iterating the index builds every entry in one
pass.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping, ValuesView
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.attio import catalog
from mockapis.attio.naming import Naming, draw_names
from mockapis.attio.schema import ARR_RANGES, CATEGORIES, EMPLOYEE_RANGES
from mockapis.attio.seeded import (
    DAY_NS,
    DrawnRows,
    location,
    microsecond_times,
    seeded_record,
)
from mockapis.pools import pool
from mockapis.tables import Record

__all__ = ["Company", "CompanyIndex", "Duplicate", "render_company"]

DUPLICATES = 5
"""Companies imported twice (at most one in 20)."""


class Company(NamedTuple):
    """A company's index entry: what other tables and truths need, without rendering it."""

    record_id: str
    name: str
    domain: str
    created_ns: int
    employee_range: str | None
    categories: tuple[str, ...]
    foundation_date: str | None


# -- the index -----------------------------------------------------------------------------------

_SIZES = tuple(range(len(EMPLOYEE_RANGES)))
_SIZE_CUM = tuple(itertools.accumulate((9, 14, 14, 10, 7, 4, 3, 1, 1)))
_VARIANTS = ("{} Inc.", "{upper}", "{} (old)", "The {}")
"""How a spreadsheet import renamed the companies it duplicated."""
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Duplicate(NamedTuple):
    """A company imported a second time: how its copy differs."""

    variant: int
    described: bool
    record_id: str
    member: str


class CompanyIndex(DrawnRows, Mapping[str, Company]):
    """Every seeded company's entry by record id: the ``n`` drawn ones in row order, then the
    duplicates (a spreadsheet import, made later under a variant of a drawn company's name,
    with its domain). Reading it as a mapping builds every entry; the methods read columns.
    Positions (``0 .. len - 1``) number the entries in that order.

    Row ``i`` of the draws (``RowDraws(n, 29, seed, "attio", "companies")``) holds: 0-1 id,
    2 named after people, 3-5 coined stem, space, tail, 6-8 surnames and form, 28 legal kind,
    9 fallback tld, 10 size, 13-16 categories, 20-23 foundation date, 26 created, 27 creator;
    11, 12, 17-19, 24, 25 only what a rendered record shows.
    """

    WIDTH, TABLE = 29, "companies"

    def __init__(self, seed_value: int, epoch: int, n: int, member_ids: tuple[str, ...]) -> None:
        self.seed_value, self.epoch, self.n, self.member_ids = seed_value, epoch, n, member_ids
        self.dups = min(DUPLICATES, n // 20)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its arguments (kilobytes, not the columns): drawn again when read.
        return (CompanyIndex, (self.seed_value, self.epoch, self.n, self.member_ids))

    # -- the mapping -----------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Company:
        return self.entries[self._positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return self.n + self.dups

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def values(self) -> ValuesView[Company]:
        """Every entry, in order (built in one pass)."""
        return dict(zip(self._positions, self.entries, strict=True)).values()

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        keys = [*self.ids, *(d.record_id for d in self.duplicates)]
        return dict(zip(keys, range(len(keys)), strict=True))

    @functools.cached_property
    def entries(self) -> list[Company]:
        """Every entry, by position."""
        drawn = [
            tuple.__new__(Company, fields)
            for fields in zip(
                self.ids,
                self.names,
                self.domains,
                self.created,
                self.ranges,
                self.categories,
                self.foundation_dates,
                strict=True,
            )
        ]
        return drawn + [self._duplicate(i) for i in range(self.n, len(self))]

    def entry(self, i: int) -> Company:
        """The entry at position ``i``, built alone (the same as ``entries[i]``)."""
        if i >= self.n:
            return self._duplicate(i)
        return Company(
            self.record_id(i),
            self.names[i],
            self.domains[i],
            self.created[i],
            self.ranges[i],
            self.categories[i],
            self.foundation_dates[i],
        )

    def _duplicate(self, i: int) -> Company:
        at = self.duplicate_times[i - self.n]
        name, domain = self.name(i), self.domain(i)
        return Company(self.record_id(i), name, domain, at, None, (), None)

    # -- one company -----------------------------------------------------------------------------

    def record_id(self, i: int) -> str:
        """The record id at position ``i``."""
        if i >= self.n:
            return self.duplicates[i - self.n].record_id
        return self.drawn_id(i)

    def name(self, i: int) -> str:
        """The name at position ``i``."""
        if i < self.n:
            return self.names[i]
        base = self.names[self.copied[i - self.n]]
        return _VARIANTS[self.duplicates[i - self.n].variant].format(base, upper=base.upper())

    def domain(self, i: int) -> str:
        """The domain at position ``i`` (a duplicate's is its original's)."""
        drawn = i if i < self.n else self.copied[i - self.n]
        if "domains" in self.__dict__:
            return self.domains[drawn]
        return self._naming.domain(drawn)  # one row's: its stem, unless shared

    def original(self, i: int) -> int:
        """The drawn company whose domain position ``i`` has: itself, or a duplicate's original."""
        return i if i < self.n else self.copied[i - self.n]

    def twins(self, i: int) -> tuple[int, ...]:
        """The positions whose domain is drawn company ``i``'s: ``i`` and its duplicates."""
        return self._twins.get(i, (i,))

    @functools.cached_property
    def _twins(self) -> dict[int, tuple[int, ...]]:
        """The drawn companies imported again -> their positions and their copies'."""
        found: dict[int, tuple[int, ...]] = {}
        for k, original in enumerate(self.copied):
            found[original] = (*found.get(original, (original,)), self.n + k)
        return found

    def unique_domains(self) -> list[int]:
        """The drawn companies no other company shares a domain with, in row order."""
        copied = set(self.copied)
        return [i for i in range(self.n) if i not in copied]

    # -- segments --------------------------------------------------------------------------------

    def category_sizes(self) -> dict[str, int]:
        """Category -> how many companies have it (the categories some company has)."""
        picks, kept = self._category_picks
        counts = np.bincount(picks[kept], minlength=len(CATEGORIES))
        return {CATEGORIES[c]: count for c, count in enumerate(counts.tolist()) if count}

    def in_category(self, category: str) -> list[int]:
        """The companies (positions, in order) with ``category`` (duplicates have none)."""
        return np.flatnonzero(self.in_category_mask(category)).tolist()

    def segment_sizes(self) -> dict[tuple[str, str], int]:
        """(category, employee range) -> how many companies have both (duplicates have
        neither)."""
        picks, kept = self._category_picks
        ranges = len(EMPLOYEE_RANGES)
        codes = (picks * ranges + np.array(self.sizes, dtype=np.int64)[:, None])[kept]
        counts = np.bincount(codes, minlength=len(CATEGORIES) * ranges)
        return {
            (CATEGORIES[code // ranges], EMPLOYEE_RANGES[code % ranges]): count
            for code, count in enumerate(counts.tolist())
            if count
        }

    def in_segment(self, category: str, employee_range: str) -> list[int]:
        """The companies (positions, in order) with ``category`` and ``employee_range``."""
        size = EMPLOYEE_RANGES.index(employee_range)
        return [i for i in self.in_category(category) if self.sizes[i] == size]

    def founded_per_year(self) -> dict[int, int]:
        """Year -> how many companies were founded that year (of those with a date)."""
        dated, years = self._founded
        counts = np.bincount(years[dated] - _FIRST_YEAR)
        return {_FIRST_YEAR + k: c for k, c in enumerate(counts.tolist()) if c}

    def founded_before(self, year: int) -> list[int]:
        """The companies (positions, in order) founded before ``year``."""
        dated, years = self._founded
        return np.flatnonzero(dated & (years < year)).tolist()

    # -- columns ---------------------------------------------------------------------------------

    @functools.cached_property
    def sizes(self) -> list[int]:
        """Each drawn company's position in ``EMPLOYEE_RANGES``."""
        return self.draws.weighted(10, _SIZES, _SIZE_CUM)

    @functools.cached_property
    def ranges(self) -> list[str]:
        """Each drawn company's employee range."""
        return [EMPLOYEE_RANGES[s] for s in self.sizes]

    @functools.cached_property
    def _category_picks(self) -> tuple[IntArray, BoolArray]:
        """Each drawn company's three candidate categories (positions in ``CATEGORIES``, as
        ``RowDraws.samples(14, CATEGORIES, 3)`` picks them, a column at a time) and which of
        them it has (the first one to three, by column 13)."""
        d, n = self.draws, len(CATEGORIES)
        first = d.below_array(14, n)
        second = d.below_array(15, n - 1)
        second += second >= first  # each pick steps over those made before it
        low, high = np.minimum(first, second), np.maximum(first, second)
        third = d.below_array(16, n - 2)
        third += third >= low
        third += third >= high
        kept = np.arange(3) < d.below_array(13, 3)[:, None] + 1  # RowDraws.ints(13, 1, 3)
        return np.column_stack((first, second, third)), kept

    def in_category_mask(self, category: str) -> BoolArray:
        """Whether each drawn company has ``category``."""
        picks, kept = self._category_picks
        found: BoolArray = ((picks == CATEGORIES.index(category)) & kept).any(axis=1)
        return found

    def category_counts(self, companies: IntArray) -> list[int]:
        """For each category (as in ``CATEGORIES``), how many of ``companies`` (drawn
        companies' positions, repeats counted) have it."""
        picks, kept = self._category_picks
        found = np.bincount(picks[companies][kept[companies]], minlength=len(CATEGORIES))
        return found.tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def categories(self) -> list[tuple[str, ...]]:
        """Each drawn company's categories."""
        picks, kept = self._category_picks
        c = CATEGORIES
        return [
            (c[a],) if k == 1 else (c[a], c[b]) if k == 2 else (c[a], c[b], c[z])
            for (a, b, z), k in zip(picks.tolist(), kept.sum(axis=1).tolist(), strict=True)
        ]

    @functools.cached_property
    def _founded(self) -> tuple[BoolArray, IntArray]:
        d = self.draws
        dated = np.array(d.chance(20, 0.9), dtype=np.bool_)
        return dated, np.array(d.ints(21, _FIRST_YEAR, 2021), dtype=np.int64)

    @functools.cached_property
    def foundation_dates(self) -> list[str | None]:
        """Each drawn company's foundation date, if it has one."""
        d = self.draws
        dated, years = self._founded
        return [
            f"{y}-{m:02d}-{day:02d}" if on else None
            for on, y, m, day in zip(
                dated.tolist(), years.tolist(), d.ints(22, 1, 12), d.ints(23, 1, 28), strict=True
            )
        ]

    @functools.cached_property
    def created(self) -> list[int]:
        """Each drawn company's creation time (ns, whole microseconds, distinct)."""
        epoch = self.epoch
        return microsecond_times(
            [epoch - s for s in self.draws.spans(26, 30 * DAY_NS, 1200 * DAY_NS)]
        )

    @functools.cached_property
    def creators(self) -> list[str]:
        """Who created each drawn company."""
        return self.draws.pick(27, self.member_ids)

    @functools.cached_property
    def _naming(self) -> Naming:
        """Every drawn company's name and domain (:func:`~mockapis.attio.naming.draw_names`)."""
        return draw_names(self.draws, self.seed_value)

    @functools.cached_property
    def names(self) -> list[str]:
        """Each drawn company's name (unique across the table)."""
        return self._naming.names()

    @functools.cached_property
    def domains(self) -> list[str]:
        """Each drawn company's domain (unique across the drawn companies)."""
        return self._naming.domains()

    @functools.cached_property
    def copied(self) -> list[int]:
        """The drawn companies imported again, in the duplicates' order (their own stream)."""
        rng = seeding.stream(self.seed_value, "attio", "companies", "copied")
        return rng.sample(range(self.n), self.dups)

    @functools.cached_property
    def duplicates(self) -> list[Duplicate]:
        """How each duplicate differs from its original (their own stream)."""
        rng = seeding.stream(self.seed_value, "attio", "companies", "duplicates")
        return [
            Duplicate(
                rng.randrange(len(_VARIANTS)),
                rng.random() < 0.5,
                seeding.uuid4(rng),
                rng.choice(self.member_ids),
            )
            for _ in self.copied
        ]

    @functools.cached_property
    def duplicate_times(self) -> list[int]:
        """When each duplicate was made: 5 to 400 days ago, after its original, at a time no
        company has."""
        rng = seeding.stream(self.seed_value, "attio", "companies", "duplicates", "times")
        epoch, created = self.epoch, self.created
        taken = set(created)
        out = []
        for original in self.copied:
            high = min(400 * DAY_NS, epoch - created[original] - 10_000)
            ns = epoch - rng.randrange(min(5 * DAY_NS, high // 2), high)
            out.append(seeding.distinct([ns - ns % 1000], 1000, taken)[0])
        return out

    @functools.cached_property
    def render_columns(self) -> _CompanyColumns:
        """What only rendered records read."""
        return _CompanyColumns(self.draws, self.sizes)


_FIRST_YEAR = 1960


class _CompanyColumns:
    """What only a rendered company reads, drawn for the whole table when the first renders."""

    def __init__(self, draws: seeding.RowDraws, sizes: list[int]) -> None:
        self.draws, self.sizes = draws, sizes

    @functools.cached_property
    def phrases(self) -> list[str]:
        return self.draws.pick(12, pool("catch_phrase"))

    @functools.cached_property
    def arr(self) -> list[str]:
        return [
            ARR_RANGES[max(0, min(9, size + delta))]
            for size, delta in zip(self.sizes, self.draws.ints(17, -1, 1), strict=True)
        ]

    @functools.cached_property
    def funding(self) -> list[int | None]:
        amounts = self.draws.ints(19, 1, 400)
        return [
            a * 250_000 if f else None
            for a, f in zip(amounts, self.draws.chance(18, 0.7), strict=True)
        ]

    @functools.cached_property
    def locations(self) -> list[dict[str, Any]]:
        streets, postcodes = pool("street_address"), pool("postcode")
        return [
            location(city, streets[s], postcodes[p])
            for city, s, p in zip(
                self.draws.pick(11, catalog.CITIES),
                self.draws.below(24, len(streets)),
                self.draws.below(25, len(postcodes)),
                strict=True,
            )
        ]


def render_company(index: CompanyIndex, i: int) -> Record:
    """The record of the company at position ``i``."""
    entry = index.entries[i]
    if i >= index.n:
        dup = index.duplicates[i - index.n]
        raw: dict[str, Any] = {
            "name": entry.name,
            "domains": entry.domain,
            "description": "Imported from spreadsheet." if dup.described else None,
        }
        return seeded_record("companies", entry.record_id, entry.created_ns, dup.member, raw)
    cols = index.render_columns
    raw = {
        "name": entry.name,
        "domains": entry.domain,
        "description": cols.phrases[i] + ".",
        "categories": list(entry.categories),
        "employee_range": entry.employee_range,
        "estimated_arr_usd": cols.arr[i],
        "funding_raised_usd": cols.funding[i],
        "foundation_date": entry.foundation_date,
        "primary_location": cols.locations[i],
        "linkedin": f"https://www.linkedin.com/company/{entry.domain.split('.')[0]}",
    }
    return seeded_record("companies", entry.record_id, entry.created_ns, index.creators[i], raw)
