"""The seeded people: their index, computed column by column when read, and their records.

Email addresses are unique across the table, resolved in row order (a clash numbered:
``ada@x``, ``ada2@x``). A company address is on its company's domain, a personal one on a
free mail domain no company has (tests/mockapis/attio/test_attio_data.py checks the
catalogue): so an address depends only on the earlier addresses of its own domain, and one
person's addresses cost the people of their company and mail domain, not the table.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, ValuesView
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from mockapis import seeding
from mockapis.attio import catalog
from mockapis.attio.companies import CompanyIndex
from mockapis.attio.schema import CATEGORIES
from mockapis.attio.seeded import (
    DAY_NS,
    DrawnRows,
    ascii_letters,
    location,
    microsecond_times,
    seeded_record,
)
from mockapis.tables import Record
from mockapis.world import derive_seed

__all__ = ["Person", "PersonIndex", "render_person"]

_FIRST, _LAST = catalog.FIRST_NAMES, catalog.LAST_NAMES
_FIRST_ASCII = tuple(ascii_letters(n) for n in _FIRST)
_LAST_ASCII = tuple(ascii_letters(n) for n in _LAST)
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_FREE_MAIL = catalog.FREE_MAIL


class Person(NamedTuple):
    """A person's index entry: what other tables and truths need, without rendering it."""

    record_id: str
    company_id: str | None
    created_ns: int
    first_name: str
    last_name: str
    emails: tuple[str, ...]
    job_title: str | None


class PersonIndex(DrawnRows, Mapping[str, Person]):
    """Every seeded person's entry by record id, in row order. Reading it as a mapping builds
    every entry; the methods read columns, and one person's values (by row) what they need.

    Row ``i`` of the draws (``RowDraws(n, 26, seed, "attio", "people")``) holds: 0-1 id,
    2-3 names, 4-5 company, 6-13 email addresses, 17-18 job title, 24 created, 25 creator;
    14-16 and 19-23 only what a rendered record shows. Address slot ``2i`` is row ``i``'s
    first address, ``2i + 1`` its second.
    """

    WIDTH, TABLE = 26, "people"

    def __init__(
        self,
        seed_value: int,
        epoch: int,
        n: int,
        member_ids: tuple[str, ...],
        companies: CompanyIndex,
    ) -> None:
        self.seed_value, self.epoch, self.n = seed_value, epoch, n
        self.member_ids, self.companies = member_ids, companies
        self._groups: dict[int, dict[int, str]] = {}
        """Resolved addresses by domain group: a drawn company's position (its duplicates
        share its domain), or ``-1 - m`` for free mail domain ``m``."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its arguments (kilobytes, not the columns): drawn again when read.
        args = (self.seed_value, self.epoch, self.n, self.member_ids, self.companies)
        return (PersonIndex, args)

    # -- the mapping -----------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Person:
        return self.entries[self._positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return self.n

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def values(self) -> ValuesView[Person]:
        """Every entry, in row order (built in one pass)."""
        return dict(zip(self.ids, self.entries, strict=True)).values()

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return dict(zip(self.ids, range(self.n), strict=True))

    @functools.cached_property
    def entries(self) -> list[Person]:
        """Every entry, in row order (every address resolved in one pass)."""
        # Every row's names: drawn as columns before the addresses read them row by row.
        firsts, lasts = self._first_ids, self._last_ids
        found = _resolve(map(self._candidate, self._all_slots()))
        emails = [
            ()
            if 2 * i not in found
            else (found[2 * i], found[2 * i + 1])
            if 2 * i + 1 in found
            else (found[2 * i],)
            for i in range(self.n)
        ]
        firms, title = list(self.companies), self.job_title
        return [
            tuple.__new__(Person, fields)
            for fields in zip(
                self.ids,
                [None if e < 0 else firms[e] for e in self.employers],
                self.created,
                [_FIRST[k] for k in firsts],
                [_LAST[k] for k in lasts],
                emails,
                [title(i) for i in range(self.n)],
                strict=True,
            )
        ]

    def entry(self, i: int) -> Person:
        """The entry of row ``i``, built alone (the same as ``entries[i]``)."""
        employer = self.employers[i]
        return Person(
            self.record_id(i),
            None if employer < 0 else self.companies.record_id(employer),
            self.created[i],
            self.first_name(i),
            self.last_name(i),
            self.emails(i),
            self.job_title(i),
        )

    # -- one person ------------------------------------------------------------------------------

    def record_id(self, i: int) -> str:
        """The record id of row ``i``."""
        return self.drawn_id(i)

    def first_name(self, i: int) -> str:
        """The first name of row ``i``."""
        return _FIRST[self._first_id(i)]

    def last_name(self, i: int) -> str:
        """The last name of row ``i``."""
        return _LAST[self._last_id(i)]

    def job_title(self, i: int) -> str | None:
        """The job title of row ``i``, if any."""
        return catalog.JOB_TITLES[self._title_picks[i]] if self.titled[i] else None

    def full_name(self, i: int) -> str:
        """The full name of row ``i``."""
        return f"{_FIRST[self._first_id(i)]} {_LAST[self._last_id(i)]}"

    def emails(self, i: int) -> tuple[str, ...]:
        """The addresses of row ``i``: its company (or personal) one first."""
        if "entries" in self.__dict__:
            return self.entries[i].emails
        first = self.first_email(i)
        if first is None:
            return ()
        if self.employers[i] < 0 or not self._second_draws[i]:
            return (first,)
        return first, self._addresses(-1 - self._mail2[i])[2 * i + 1]

    def first_email(self, i: int) -> str | None:
        """The first address of row ``i`` (its company's, else its personal one), if any: only
        the addresses on its domain are resolved (a free mail domain holds dozens)."""
        if "entries" in self.__dict__:
            found = self.entries[i].emails
            return found[0] if found else None
        if not self.has_email[i]:
            return None
        employer = self.employers[i]
        if employer < 0:
            return self._addresses(-1 - self._mail[i])[2 * i]
        return self._addresses(self.companies.original(employer))[2 * i]

    def addresses_at(self, company: int) -> set[str]:
        """Every address on the domain of the company at position ``company``."""
        return set(self._addresses(self.companies.original(company)).values())

    def with_email_by_category(self) -> dict[str, list[int]]:
        """Category -> the people (rows, in order) with an email address who work at a
        company of that category (the categories some such person's company has)."""
        return {category: self.with_email_in(category) for category in self.email_category_sizes()}

    def email_category_sizes(self) -> dict[str, int]:
        """Category -> how many people with an email address work at a company of that
        category (the categories some such person's company has)."""
        _, at = self._with_email
        counts = self.companies.category_counts(at)
        return {category: n for category, n in zip(CATEGORIES, counts, strict=True) if n}

    def with_email_in(self, category: str) -> list[int]:
        """The people (rows, in order) with an email address who work at a company of
        ``category``."""
        rows, at = self._with_email
        chosen: list[int] = rows[self.companies.in_category_mask(category)[at]].tolist()
        return chosen

    @functools.cached_property
    def _with_email(self) -> tuple[IntArray, IntArray]:
        """The people with an email address at a drawn company (duplicates have no
        category), in order, and their companies."""
        employers = self._employer_array
        drawn = (employers >= 0) & (employers < self.companies.n)
        rows = np.flatnonzero(self._has_email_array & drawn)
        return rows, employers[rows]

    # -- columns ---------------------------------------------------------------------------------

    @functools.cached_property
    def _first_ids(self) -> list[int]:
        """Each person's first name (a catalogue position)."""
        return _weighted(self.draws, 2, _FIRST_CUM).tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def _last_ids(self) -> list[int]:
        """Each person's last name (a catalogue position)."""
        return _weighted(self.draws, 3, _LAST_CUM).tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def _name_floats(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        # Arrays, read one row at a time (item): a reset reads a few dozen of 400.
        return self.draws.floats_array(2), self.draws.floats_array(3)

    def _first_id(self, i: int) -> int:
        """Row ``i``'s first name (a catalogue position), alone: a person's addresses read the
        names of their colleagues only, a few rows of the column."""
        if "_first_ids" in self.__dict__:
            return self._first_ids[i]
        return bisect.bisect(catalog.FIRST_WEIGHTS, self._name_floats[0].item(i) * _FIRST_TOTAL)

    def _last_id(self, i: int) -> int:
        """Row ``i``'s last name (a catalogue position), alone."""
        if "_last_ids" in self.__dict__:
            return self._last_ids[i]
        return bisect.bisect(catalog.LAST_WEIGHTS, self._name_floats[1].item(i) * _LAST_TOTAL)

    def full_name_counts(self) -> list[int]:
        """For each person, how many people have their full name (names have no spaces:
        equal full names are equal first and last names)."""
        codes = np.array(self._first_ids, dtype=np.int64) * len(_LAST) + self._last_ids
        _, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
        return counts[inverse].tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def employers(self) -> list[int]:
        """Each person's company (a position in the companies' index), or -1 (about 15%)."""
        return self._employer_array.tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def _employer_array(self) -> IntArray:
        firms = len(self.companies)
        if not firms:
            return np.full(self.n, -1, dtype=np.int64)
        d = self.draws
        return np.where(d.floats_array(4) < 0.85, d.below_array(5, firms), -1)

    @functools.cached_property
    def has_email(self) -> list[bool]:
        """Whether each person has an email address (about 85%)."""
        return self._has_email_array.tolist()  # type: ignore[no-any-return]

    @functools.cached_property
    def _has_email_array(self) -> BoolArray:
        return self.draws.floats_array(6) < 0.85

    @functools.cached_property
    def titled(self) -> list[bool]:
        """Whether each person has a job title (about 90%)."""
        return self.draws.chance(17, 0.9)

    @functools.cached_property
    def _title_picks(self) -> list[int]:
        return self.draws.below(18, len(catalog.JOB_TITLES))

    @functools.cached_property
    def created(self) -> list[int]:
        """Each person's creation time (ns, whole microseconds, distinct)."""
        epoch = self.epoch
        return microsecond_times([epoch - s for s in self.draws.spans(24, DAY_NS, 1100 * DAY_NS)])

    @functools.cached_property
    def creators(self) -> list[str]:
        """Who created each person."""
        return self.draws.pick(25, self.member_ids)

    @functools.cached_property
    def render_columns(self) -> _PersonColumns:
        """What only rendered records read."""
        return _PersonColumns(self.draws, derive_seed(self.seed_value, "attio", "people", "text"))

    # -- addresses -------------------------------------------------------------------------------
    #
    # Each column is drawn when first needed: a company address reads styles, not mail domains.

    @functools.cached_property
    def _mail(self) -> list[int]:
        return self.draws.below(7, len(_FREE_MAIL))

    @functools.cached_property
    def _style(self) -> list[int]:
        return self.draws.below(8, 3)

    @functools.cached_property
    def _second_draws(self) -> list[bool]:
        return self.draws.chance(9, 0.1)

    @functools.cached_property
    def _second(self) -> list[bool]:
        """Whether each person has a second (personal) address: some with a company one."""
        return [
            h and e >= 0 and s
            for h, e, s in zip(self.has_email, self.employers, self._second_draws, strict=True)
        ]

    @functools.cached_property
    def _mail2(self) -> list[int]:
        return self.draws.below(10, len(_FREE_MAIL))

    @functools.cached_property
    def _style2(self) -> list[int]:
        return self.draws.below(11, 3)

    @functools.cached_property
    def _number(self) -> list[int]:
        return self.draws.ints(12, 1, 99)

    @functools.cached_property
    def _number2(self) -> list[int]:
        return self.draws.ints(13, 1, 99)

    def _all_slots(self) -> Iterator[int]:
        for i, (mail, second) in enumerate(zip(self.has_email, self._second, strict=True)):
            if mail:
                yield 2 * i
                if second:
                    yield 2 * i + 1

    def _addresses(self, group: int) -> dict[int, str]:
        """Slot -> address of every address of a domain group, resolved in row order (kept)."""
        found = self._groups.get(group)
        if found is None:
            found = self._groups[group] = _resolve(map(self._candidate, self._slots(group)))
        return found

    def _slots(self, group: int) -> list[int]:
        """The slots of the addresses of a domain group, in row order."""
        if group < 0:
            return self._personal.get(-1 - group, [])
        twins = self.companies.twins(group)
        if len(twins) == 1:
            return [2 * i for i in self._staff(group)]
        return [2 * i for i in sorted(i for company in twins for i in self._staff(company))]

    def _staff(self, company: int) -> list[int]:
        """The rows of the people with an email address at the company at position
        ``company``, in order."""
        rows, ends = self._staff_rows
        return rows[ends[company - 1] if company else 0 : ends[company]]

    @functools.cached_property
    def _staff_rows(self) -> tuple[list[int], list[int]]:
        """The people with an email address at a company, company by company (each in row
        order), and where each company's run ends (a position for each company)."""
        employers = self._employer_array
        rows = np.flatnonzero(self._has_email_array & (employers >= 0))
        at = employers[rows]
        grouped = rows[np.argsort(at, kind="stable")]
        ends = np.cumsum(np.bincount(at, minlength=len(self.companies)))
        return grouped.tolist(), ends.tolist()

    @functools.cached_property
    def _personal(self) -> dict[int, list[int]]:
        """Free mail domain (its position) -> the slots of the addresses on it, in row order:
        the first address of people without a company, the second of others."""
        found: dict[int, list[int]] = defaultdict(list)
        mail, mail2 = self._mail, self._mail2
        for i, (has, employer, second) in enumerate(
            zip(self.has_email, self.employers, self._second, strict=True)
        ):
            if has and employer < 0:
                found[mail[i]].append(2 * i)
            elif second:
                found[mail2[i]].append(2 * i + 1)
        return found

    def _candidate(self, slot: int) -> tuple[int, str, str]:
        """(slot, local part, domain) of the address a slot asks for before clashes."""
        i = slot // 2
        first, last = _FIRST_ASCII[self._first_id(i)], _LAST_ASCII[self._last_id(i)]
        if slot % 2:
            local = _personal(first, last, self._style2[i], self._number2[i])
            return slot, local, _FREE_MAIL[self._mail2[i]]
        employer = self.employers[i]
        if employer < 0:
            local = _personal(first, last, self._style[i], self._number[i])
            return slot, local, _FREE_MAIL[self._mail[i]]
        return slot, _at_work(first, last, self._style[i]), self.companies.domain(employer)


def _weighted(d: seeding.RowDraws, col: int, cum: npt.NDArray[np.float64]) -> IntArray:
    """Column ``col`` mapped as :meth:`RowDraws.weighted` maps it to positions, as an array:
    its arithmetic on the column's floats (scaling by their 2**-53 is exact either way), as
    ``_first_id`` and ``_last_id`` do for one row (a test compares them)."""
    found: IntArray = np.searchsorted(cum, d.floats_array(col) * cum[-1], "right")
    return found


_FIRST_CUM = np.asarray(catalog.FIRST_WEIGHTS, dtype=np.float64)
_LAST_CUM = np.asarray(catalog.LAST_WEIGHTS, dtype=np.float64)
_FIRST_TOTAL, _LAST_TOTAL = catalog.FIRST_WEIGHTS[-1], catalog.LAST_WEIGHTS[-1]


def _personal(first: str, last: str, style: int, number: int) -> str:
    """The local part of a personal address: ``ada.lovelace``, ``adalovelace12``, ``alovelace``."""
    if style == 0:
        return f"{first}.{last}"
    return f"{first}{last}{number}" if style == 1 else f"{first[0]}{last}"


def _at_work(first: str, last: str, style: int) -> str:
    """The local part of a company address: ``ada.lovelace``, ``alovelace``, ``ada``."""
    if style == 0:
        return f"{first}.{last}"
    return f"{first[0]}{last}" if style == 1 else first


def _resolve(candidates: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """Slot -> address, ``local@domain`` numbered from 2 while an earlier slot has it."""
    taken: set[str] = set()
    out: dict[int, str] = {}
    for slot, local, domain in candidates:
        address = f"{local}@{domain}"
        k = 2
        while address in taken:
            address = f"{local}{k}@{domain}"
            k += 1
        taken.add(address)
        out[slot] = address
    return out


class _PersonColumns:
    """What only a rendered person reads, drawn for the whole table when the first renders."""

    def __init__(self, draws: seeding.RowDraws, text_seed: int) -> None:
        self.draws, self.text_seed = draws, text_seed

    @functools.cached_property
    def phones(self) -> list[str | None]:
        d = self.draws
        return [
            f"+1 {area}-555-{line:04d}" if phoned else None
            for phoned, area, line in zip(
                d.chance(14, 0.6), d.ints(15, 201, 989), d.ints(16, 100, 9999), strict=True
            )
        ]

    @functools.cached_property
    def described(self) -> list[bool]:
        return self.draws.chance(19, 0.3)

    @functools.cached_property
    def locations(self) -> list[dict[str, Any] | None]:
        d = self.draws
        return [
            location(city, None, None) if located else None
            for located, city in zip(d.chance(20, 0.7), d.pick(21, catalog.CITIES), strict=True)
        ]

    @functools.cached_property
    def handles(self) -> list[int | None]:
        d = self.draws
        return [
            h if linked else None
            for linked, h in zip(d.chance(22, 0.5), d.below(23, 1 << 24), strict=True)
        ]


def render_person(index: PersonIndex, i: int) -> Record:
    """The record of the person in row ``i``."""
    entry, cols = index.entries[i], index.render_columns
    first, last = entry.first_name, entry.last_name
    handle = cols.handles[i]
    raw = {
        "name": {"first_name": first, "last_name": last},
        "email_addresses": list(entry.emails) or None,
        "phone_numbers": cols.phones[i],
        "job_title": entry.job_title,
        "company": entry.company_id,
        # Variable-length text comes from the row's own stream (rendered rows are independent).
        "description": seeding.sentence(seeding.stream(cols.text_seed, i))
        if cols.described[i]
        else None,
        "primary_location": cols.locations[i],
        "linkedin": None
        if handle is None
        else f"https://www.linkedin.com/in/{ascii_letters(first)}-{ascii_letters(last)}-{handle:06x}",
    }
    return seeded_record("people", entry.record_id, entry.created_ns, index.creators[i], raw)
