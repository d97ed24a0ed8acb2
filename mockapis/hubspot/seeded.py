"""The seeded companies and contacts: their columnar indexes, and their records made when read.

Each table is drawn column by column from its :class:`~mockapis.seeding.RowDraws`; what a
reset needs (names, domains, emails, links) is mapped at once, the rest when first read. A
source hands out the index (:class:`Companies`, :class:`Contacts`: the columns, and each
row's entry made on first use), the rows as :class:`~mockapis.tables.Partitions` made when
the table is first read, and for contacts the unique index of their emails (every write
checks it). Record ids run from :data:`~mockapis.hubspot.records.FIRST_ID`: companies, then
contacts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np

from mockapis import seeding
from mockapis.clock import NS_PER_SECOND
from mockapis.hubspot.records import EMAILS, FIRST_ID, record_row
from mockapis.hubspot.schema import OBJECTS
from mockapis.pools import pool
from mockapis.tables import BuiltTables, LazyRow, Partitions, Record, index_key

__all__ = [
    "COMPANIES",
    "CONTACTS",
    "Companies",
    "Company",
    "Contact",
    "Contacts",
    "build_companies",
    "build_contacts",
    "slug",
    "stamps",
]

COMPANIES, CONTACTS = "hubspot.companies", "hubspot.contacts"
DAY_NS = 86_400 * NS_PER_SECOND
_INDUSTRIES = (
    "COMPUTER_SOFTWARE",
    "FINANCIAL_SERVICES",
    "HOSPITAL_HEALTH_CARE",
    "RETAIL",
    "MARKETING_AND_ADVERTISING",
    "LOGISTICS_AND_SUPPLY_CHAIN",
)
_STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "customer")
_FREE_MAIL = ("gmail.com", "outlook.com", "yahoo.com")
_EMPLOYEES = ("8", "25", "60", "140", "400", "1200")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """Lowercase letters and digits of ``text`` (names repeat from the pools: cached)."""
    return _NOT_SLUG.sub("", text.lower()) or "x"


@functools.cache
def _slugs(name: str) -> tuple[str, ...]:
    """The slug of every value of the pool ``name`` (made once: the columns index it)."""
    return tuple(slug(value) for value in pool(name))


@functools.cache
def _company_domains() -> tuple[str, ...]:
    """The domain each name of the ``company`` pool takes before clashes: its first word's
    slug and six letters of its last's, on .com (made once)."""
    return tuple(
        f"{slug(words[0])}{slug(words[-1])[:6]}.com"
        for words in (name.split() for name in pool("company"))
    )


def stamps(d: seeding.RowDraws, col: int, epoch: int) -> list[int]:
    """Creation times 2 to 900 days before the epoch, in whole milliseconds."""
    return [
        ns - ns % 1_000_000 for ns in d.spans(col, epoch - 900 * DAY_NS + 1, epoch - 2 * DAY_NS + 1)
    ]


@functools.lru_cache(maxsize=64)
def _ids(first: int, n: int) -> tuple[str, ...]:
    """The record ids ``first`` to ``first + n - 1`` (the same for every world of a size:
    made once)."""
    return tuple(map(str, range(first, first + n)))


@functools.lru_cache(maxsize=64)
def _id_rows(first: int, n: int) -> tuple[Record, ...]:
    """The emails' index rows (``{"id": id}``) of the contacts with ids ``first`` on: the same
    for every world of a size, made once and shared (rows are never changed in place: a
    write replaces them)."""
    return tuple({"id": k} for k in _ids(first, n))


# -- companies -------------------------------------------------------------------------------


class Company(NamedTuple):
    """A company's index entry: what contacts, deals and truths need, without rendering it."""

    id: str
    name: str
    domain: str


@dataclass(frozen=True, eq=False)
class Companies(Mapping[str, Company]):
    """The companies' index: each one's name and domain (unique), in id order; as a mapping,
    each one's :class:`Company` by id (made on first use). Rows draw the rest when read."""

    draws: seeding.RowDraws
    epoch: int
    names: list[str]
    domains: list[str]

    @functools.cached_property
    def ids(self) -> tuple[str, ...]:
        """Each company's id, from :data:`FIRST_ID`."""
        return _ids(FIRST_ID, len(self.names))

    @functools.cached_property
    def entries(self) -> dict[str, Company]:
        """Every company's entry, by id, in order."""
        fields = zip(self.ids, self.names, self.domains, strict=True)
        return dict(zip(self.ids, map(Company._make, fields), strict=True))

    def __getitem__(self, key: str) -> Company:
        return self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.names)

    def values(self) -> ValuesView[Company]:
        """Every entry, in id order."""
        return self.entries.values()

    def items(self) -> ItemsView[str, Company]:
        """``(id, entry)`` pairs, in id order."""
        return self.entries.items()

    @functools.cached_property
    def render_columns(self) -> _CompanyDraws:
        """What only rendered records read (drawn when the first renders)."""
        d = self.draws
        return _CompanyDraws(
            industries=d.pick(1, _INDUSTRIES),
            cities=d.pick(2, pool("city")),
            employees=d.pick(3, _EMPLOYEES),
            revenues=d.ints(4, 200, 89_999),
            stamps=stamps(d, 5, self.epoch),
        )


class _CompanyDraws(NamedTuple):
    """A companies table's drawn columns that only rendering needs."""

    industries: list[str]
    cities: list[str]
    employees: list[str]
    revenues: list[int]
    stamps: list[int]


def _company(index: Companies, i: int) -> Record:
    cols = index.render_columns
    values = {
        "name": index.names[i],
        "domain": index.domains[i],
        "industry": cols.industries[i],
        "city": cols.cities[i],
        "country": "United States",
        "numberofemployees": cols.employees[i],
        "annualrevenue": str(cols.revenues[i] * 1000),
    }
    return record_row(OBJECTS["companies"], index.ids[i], values, cols.stamps[i])


def build_companies(seed_value: int, epoch: int, n: int) -> BuiltTables:
    """Companies (names may repeat, as in a real CRM; domains never do)."""
    d = seeding.RowDraws(n, 7, seed_value, "hubspot", "companies")
    picks = d.below(0, len(pool("company")))
    names, bases = pool("company"), _company_domains()
    domains = [bases[k] for k in picks]
    if len(set(domains)) < n:
        # A domain an earlier company has: numbered until it is new (in row order).
        retry = seeding.stream(seed_value, "hubspot", "companies", "domains")
        taken: set[str] = set()
        for i, domain in enumerate(domains):
            while domain in taken:
                domain = f"{retry.randint(2, 99)}{domain}"
            taken.add(domain)
            domains[i] = domain
    index = Companies(d, epoch, [names[k] for k in picks], domains)
    return {COMPANIES: Partitions.whole(_rows, _company, index), index_key(COMPANIES): index}


def _rows(
    render: Callable[[Any, int], Record], index: Companies | Contacts, _part: str
) -> dict[str, LazyRow]:
    """Every row of an index's table, each rendered by ``render(index, i)`` when read."""
    rows = map(LazyRow, repeat(render), repeat(index), range(len(index)))
    return dict(zip(index.ids, rows, strict=True))


# -- contacts --------------------------------------------------------------------------------


class Contact(NamedTuple):
    """A contact's index entry."""

    id: str
    email: str
    firstname: str
    lastname: str
    jobtitle: str
    company_id: str | None


@dataclass(frozen=True, eq=False)
class Contacts(Mapping[str, Contact]):
    """The contacts' index: each one's email, names and company (a position in
    ``companies``, -1: none), in id order; as a mapping, each one's :class:`Contact` by id
    (made on first use). Job titles, and what only rows show, are drawn when first read."""

    draws: seeding.RowDraws
    epoch: int
    companies: Companies
    emails: list[str]
    first_names: list[int]
    last_names: list[int]
    """Positions in the ``first_name`` and ``last_name`` pools."""
    employers: list[int]

    @functools.cached_property
    def ids(self) -> tuple[str, ...]:
        """Each contact's id (after the companies')."""
        return _ids(FIRST_ID + len(self.companies), len(self.emails))

    @functools.cached_property
    def jobs(self) -> list[str]:
        """Each contact's job title."""
        return self.draws.pick(7, pool("job"))

    def entry(self, i: int) -> Contact:
        """The entry of row ``i``."""
        employer = self.employers[i]
        return Contact(
            self.ids[i],
            self.emails[i],
            pool("first_name")[self.first_names[i]],
            pool("last_name")[self.last_names[i]],
            self.jobs[i],
            None if employer < 0 else self.companies.ids[employer],
        )

    @functools.cached_property
    def entries(self) -> dict[str, Contact]:
        """Every contact's entry, by id, in order."""
        firsts, lasts, firms = pool("first_name"), pool("last_name"), self.companies.ids
        fields = zip(
            self.ids,
            self.emails,
            [firsts[k] for k in self.first_names],
            [lasts[k] for k in self.last_names],
            self.jobs,
            [None if e < 0 else firms[e] for e in self.employers],
            strict=True,
        )
        return dict(zip(self.ids, map(Contact._make, fields), strict=True))

    def __getitem__(self, key: str) -> Contact:
        return self.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.emails)

    def values(self) -> ValuesView[Contact]:
        """Every entry, in id order."""
        return self.entries.values()

    def items(self) -> ItemsView[str, Contact]:
        """``(id, entry)`` pairs, in id order."""
        return self.entries.items()

    @functools.cached_property
    def render_columns(self) -> _ContactDraws:
        """What only rendered records read (drawn when the first renders)."""
        d = self.draws
        areas, lines = d.ints(0, 201, 989), d.ints(1, 1000, 9999)
        return _ContactDraws(
            phones=[f"+1 {a} 555 {b}" for a, b in zip(areas, lines, strict=True)],
            cities=d.pick(2, pool("city")),
            stages=d.pick(3, _STAGES),
            stamps=stamps(d, 4, self.epoch),
        )


class _ContactDraws(NamedTuple):
    """A contacts table's drawn columns that only rendering needs."""

    phones: list[str]
    cities: list[str]
    stages: list[str]
    stamps: list[int]


def _contact(index: Contacts, i: int) -> Record:
    entry, cols = index.entry(i), index.render_columns
    values = {
        "email": entry.email,
        "firstname": entry.firstname,
        "lastname": entry.lastname,
        "jobtitle": entry.jobtitle,
        "phone": cols.phones[i],
        "city": cols.cities[i],
        "lifecyclestage": cols.stages[i],
    }
    employer = index.employers[i]
    if employer >= 0:
        values["company"] = index.companies.names[employer]
    return record_row(OBJECTS["contacts"], entry.id, values, cols.stamps[i])


def build_contacts(seed_value: int, epoch: int, n: int, companies: BuiltTables) -> BuiltTables:
    """Contacts, 85% at a company (an email on its domain, a link to it), and the unique
    index of their emails."""
    d = seeding.RowDraws(n, 11, seed_value, "hubspot", "contacts")
    firms: Companies = companies[index_key(COMPANIES)]  # type: ignore[assignment]
    firsts = d.below(5, len(pool("first_name")))
    lasts = d.below(6, len(pool("last_name")))
    # Each contact's domain, as a position in the companies' domains then the free mail ones.
    if len(firms):
        at_work = d.floats_array(9) < 0.85
        employers = np.where(at_work, d.below_array(8, len(firms)), -1)
        places = np.where(at_work, employers, len(firms) + d.below_array(10, len(_FREE_MAIL)))
    else:
        employers = np.full(n, -1)
        places = d.below_array(10, len(_FREE_MAIL))
    domains = [*firms.domains, *_FREE_MAIL]
    first_slugs, last_slugs = _slugs("first_name"), _slugs("last_name")
    # The row number keeps every email unique; every character is already lowercase (slugs
    # and domains), as the emails' index keys them.
    emails = [
        f"{first_slugs[a]}.{last_slugs[b]}{i}@{domains[k]}"
        for i, (a, b, k) in enumerate(zip(firsts, lasts, places.tolist(), strict=True))
    ]
    index = Contacts(d, epoch, firms, emails, firsts, lasts, employers.tolist())
    by_email = dict(zip(emails, _id_rows(FIRST_ID + len(firms), n), strict=True))
    return {
        CONTACTS: Partitions.whole(_rows, _contact, index),
        index_key(CONTACTS): index,
        EMAILS: by_email,
    }
