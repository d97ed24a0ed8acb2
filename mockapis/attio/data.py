"""The seeded workspace: members, token, companies (some duplicated), people, deals, lists.

Records are built lazily, table by table (:meth:`World.lazy`): a reset that reads no people
builds none. Each table draws from its own stream of the world seed, so it is the same
whichever tables were built before it; values come from the catalogue and :mod:`mockapis.pools`.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from mockapis import seeding
from mockapis.attio import catalog
from mockapis.attio.notes import build_note
from mockapis.attio.oauth import CLIENTS, REFRESH_TOKENS, TOKEN_URL, TOKENS
from mockapis.attio.schema import (
    ARR_RANGES,
    CATEGORIES,
    CONFIG_CREATED_AT,
    DEAL_STAGES,
    EMPLOYEE_RANGES,
    LISTS,
    OBJECTS,
    PIPELINE_STAGES,
    PRIORITIES,
    RELATIONSHIPS,
    WORKSPACE_ID,
)
from mockapis.attio.values import WriteContext, seeded_values
from mockapis.attio.writes import build_entry, build_record
from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.pools import pool
from mockapis.service import resolve_sizes
from mockapis.world import BuiltTables, LazyRow, Record, World, derive_seed, index_key

__all__ = ["DEFAULT_SIZES", "Company", "Deal", "Person", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"people": 400, "companies": 200, "deals": 60, "notes": 40}
DAY_NS = 86_400 * NS_PER_SECOND
MEMBERS = 5
SCOPES = (
    "record_permission:read-write object_configuration:read list_entry:read-write "
    "list_configuration:read note:read-write user_management:read"
)
MEMBERS_TABLE = "attio.members"
COMPANIES, PEOPLE, DEALS = "attio.companies", "attio.people", "attio.deals"
_SEEDING = World()
"""The world of the seeders' write contexts: seeded values resolve nothing against it."""
ENTRIES, NOTES = "attio.entries", "attio.notes"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a workspace of the given sizes; the agent's bearer credentials."""
    counts = resolve_sizes("attio", sizes, DEFAULT_SIZES)
    base = (world.seed, world.clock.now_ns)
    members = world.lazy(MEMBERS_TABLE, _members, *base)
    admin = _member_ids(world.seed)[0]
    token = _token(world, admin)
    oauth = _oauth(world, token)
    _lists(world, admin)
    companies = world.lazy(COMPANIES, _companies, *base, counts["companies"], deps=(members,))
    people = world.lazy(PEOPLE, _people, *base, counts["people"], deps=(members, companies))
    deals = world.lazy(DEALS, _deals, *base, counts["deals"], deps=(members, companies, people))
    world.lazy(ENTRIES, _entries, *base, deps=(members, companies, people))
    world.lazy(NOTES, _notes, *base, counts["notes"], deps=(members, companies, people, deals))
    return {"type": "bearer", "token": token, "token_url": TOKEN_URL, **oauth}


def _secret(seed_value: int, kind: str) -> str:
    """64 hex digits derived from the seed (credentials: stable whatever else is drawn)."""
    return "".join(f"{derive_seed(seed_value, 'attio', kind, k):016x}" for k in (1, 2, 3, 4))


def _member_ids(seed_value: int) -> list[str]:
    rng = seeding.stream(seed_value, "attio", "member-ids")
    return [seeding.uuid4(rng) for _ in range(MEMBERS)]


# -- workspace (eager: a few rows) -----------------------------------------------------------


def _token(world: World, admin: str) -> str:
    token = _secret(world.seed, "token")
    world.table(TOKENS).put(
        token,
        {
            "token": token,
            "token_id": str(uuid.UUID(_secret(world.seed, "token_id")[:32], version=4)),
            "workspace_member_id": admin,
            "scope": SCOPES,
            "issued_at": world.clock.now_ns // NS_PER_SECOND - 86_400,
        },
    )
    return token


def _oauth(world: World, token: str) -> dict[str, str]:
    """The agent's OAuth client and a refresh token for the grant behind ``token``."""
    access = world.table(TOKENS)[token]
    client_id = str(uuid.UUID(_secret(world.seed, "client_id")[:32], version=4))
    client_secret = _secret(world.seed, "client_secret")
    refresh_token = _secret(world.seed, "refresh_token")
    issued_at = world.clock.now_ns // NS_PER_SECOND - 86_400
    world.table(CLIENTS).put(
        client_id,
        {"client_id": client_id, "client_secret": client_secret, "created_at": issued_at},
    )
    world.table(REFRESH_TOKENS).put(
        refresh_token,
        {
            "refresh_token": refresh_token,
            "client_id": client_id,
            "token_id": access["token_id"],
            "workspace_member_id": access["workspace_member_id"],
            "scope": access["scope"],
            "issued_at": issued_at,
        },
    )
    return {"client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token}


def _lists(world: World, admin: str) -> None:
    for lst in LISTS.values():
        world.table("attio.lists").put(
            lst.id,
            {
                "id": {"workspace_id": WORKSPACE_ID, "list_id": lst.id},
                "api_slug": lst.slug,
                "name": lst.name,
                "parent_object": [lst.parent_object],
                "workspace_access": "full-access",
                "workspace_member_access": [],
                "created_by_actor": {"type": "workspace-member", "id": admin},
                "created_at": CONFIG_CREATED_AT,
            },
        )


# -- records (lazy sources) ------------------------------------------------------------------
#
# A table is drawn in one pass over its stream (every random choice, kept as plain values in
# the row's LazyRow arguments) and its records are rendered only when read: a reset that reads
# one person of 400 renders one. The index entry of a source's output carries what the
# sources depending on it need (names, domains, links) without rendering.


def _stamps(
    rng: random.Random, epoch: int, taken: set[int], low_days: float, high_days: float,
    after_ns: int | None = None,
) -> int:  # fmt: skip
    """A distinct microsecond ``low_days`` to ``high_days`` before the epoch, after ``after_ns``."""
    low, high = int(low_days * DAY_NS), int(high_days * DAY_NS)
    if after_ns is not None:
        high = min(high, epoch - after_ns - 10_000)
        low = min(low, high // 2)
    ns = epoch - rng.randrange(low, high)
    return seeding.distinct([ns - ns % 1000], 1000, taken)[0]  # Attio stores microseconds


def _actor(member_id: str) -> dict[str, str]:
    return {"type": "workspace-member", "id": member_id}


def _record(slug: str, record_id: str, at_ns: int, member: str, raw: Mapping[str, Any]) -> Record:
    """A seeded record as the API returns it (``raw`` as write input, ``None`` skipped)."""
    obj = OBJECTS[slug]
    at = format_rfc3339_ns(at_ns)
    ctx = WriteContext(_SEEDING, _actor(member), at)
    return build_record(obj, record_id, ctx, seeded_values(obj.attributes, raw, at, ctx.actor))


def _members(seed_value: int, epoch: int) -> BuiltTables:
    rng = seeding.stream(seed_value, "attio", "members")
    rows: dict[str, Record] = {}
    for i, member_id in enumerate(_member_ids(seed_value)):
        first = rng.choices(catalog.FIRST_NAMES, cum_weights=catalog.FIRST_WEIGHTS)[0]
        last = rng.choices(catalog.LAST_NAMES, cum_weights=catalog.LAST_WEIGHTS)[0]
        at = epoch - rng.randrange((1300 + i) * DAY_NS, (1301 + i) * DAY_NS)
        rows[member_id] = {
            "id": {"workspace_id": WORKSPACE_ID, "workspace_member_id": member_id},
            "first_name": first,
            "last_name": last,
            "avatar_url": None,
            "email_address": f"{_ascii(first)}.{_ascii(last)}@apibench.io",
            "created_at": format_rfc3339_ns(at - at % 1000),
            "access_level": "admin" if i == 0 else "member",
        }
    return {MEMBERS_TABLE: rows}


class Company(NamedTuple):
    """A company's index entry: what other tables and truths need, without rendering it."""

    record_id: str
    name: str
    domain: str
    created_ns: int
    employee_range: str | None
    categories: tuple[str, ...]
    foundation_date: str | None


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
            _location(city, streets[s], postcodes[p])
            for city, s, p in zip(
                self.draws.pick(11, catalog.CITIES),
                self.draws.below(24, len(streets)),
                self.draws.below(25, len(postcodes)),
                strict=True,
            )
        ]


def _company(cols: _CompanyColumns, i: int, entry: Company, member: str) -> Record:
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
    return _record("companies", entry.record_id, entry.created_ns, member, raw)


def _companies(seed_value: int, epoch: int, n: int, members: BuiltTables) -> BuiltTables:
    d = seeding.RowDraws(n, 29, seed_value, "attio", "companies")
    retry = seeding.stream(seed_value, "attio", "companies", "retry")  # name/domain clashes
    member_ids = tuple(members[MEMBERS_TABLE])
    sizes = d.weighted(10, _SIZES, _SIZE_CUM)
    cols = _CompanyColumns(d, sizes)
    ids = d.uuids(0)
    named_after, forms = d.chance(2, 0.45), d.below(8, 3)
    stems, spaced, tails = (
        d.pick(3, catalog.COMPANY_STEMS),
        d.pick(4, ("", " ")),
        d.pick(5, catalog.COMPANY_TAILS),
    )
    last_a = d.weighted(6, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    last_b = d.weighted(7, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    kinds = d.pick(28, (" Group", " Partners", " Inc", " LLC"))
    tlds = d.pick(9, ("io", "co", "ai", "net"))
    created = _created([epoch - s for s in d.spans(26, 30 * DAY_NS, 1200 * DAY_NS)])
    creators = d.pick(27, member_ids)
    ranges = [EMPLOYEE_RANGES[size] for size in sizes]
    categories = [
        tuple(picked[:k])
        for picked, k in zip(d.samples(14, CATEGORIES, 3), d.ints(13, 1, 3), strict=True)
    ]
    founded = [
        f"{y}-{m:02d}-{day:02d}" if dated else None
        for dated, y, m, day in zip(
            d.chance(20, 0.9),
            d.ints(21, 1960, 2021),
            d.ints(22, 1, 12),
            d.ints(23, 1, 28),
            strict=True,
        )
    ]
    names: set[str] = set()
    domains: set[str] = set()
    index: list[Company] = []
    for i, record_id in enumerate(ids):
        if named_after[i]:
            a, b = last_a[i], last_b[i]
            name = (f"{a}{kinds[i]}", f"{a}-{b}", f"{a} & {b}")[forms[i]]
        else:
            name = f"{stems[i]}{spaced[i]}{tails[i]}"
        if name in names:
            name = _company_name(retry, names)
        names.add(name)
        index.append(
            _new_company(
                record_id,
                name,
                _domain_for(tlds[i], retry, name, domains),
                created[i],
                ranges[i],
                categories[i],
                founded[i],
            )
        )
    rows: dict[str, LazyRow] = {
        entry.record_id: LazyRow(_company, cols, i, entry, member)
        for i, (entry, member) in enumerate(zip(index, creators, strict=True))
    }
    # Duplicates by domain: a spreadsheet import made later under a variant of the name.
    taken = set(created)
    for original in retry.sample(index, min(5, n // 20)):
        base = original.name
        name = retry.choice((f"{base} Inc.", base.upper(), f"{base} (old)", f"The {base}"))
        raw = {
            "name": name,
            "domains": original.domain,
            "description": None if retry.random() < 0.5 else "Imported from spreadsheet.",
        }
        record_id = seeding.uuid4(retry)
        at = _stamps(retry, epoch, taken, 5, 400, original.created_ns)
        rows[record_id] = LazyRow(
            _record, "companies", record_id, at, retry.choice(member_ids), raw
        )
        index.append(Company(record_id, name, original.domain, at, None, (), None))
    return {COMPANIES: rows, index_key(COMPANIES): {c.record_id: c for c in index}}


def _created(stamps: list[int]) -> list[int]:
    """``stamps`` cut to microseconds (as Attio stores them), every one distinct: each record
    of a table has its own ``created_at``."""
    return seeding.distinct([ns - ns % 1000 for ns in stamps], 1000)


class Person(NamedTuple):
    """A person's index entry: what other tables and truths need, without rendering it."""

    record_id: str
    company_id: str | None
    created_ns: int
    first_name: str
    last_name: str
    emails: tuple[str, ...]
    job_title: str | None


def _new_company(*fields: Any) -> Company:
    return tuple.__new__(Company, fields)


def _new_person(*fields: Any) -> Person:
    return tuple.__new__(Person, fields)


class Deal(NamedTuple):
    """A deal's index entry."""

    record_id: str
    company_id: str
    created_ns: int
    stage: str
    value: int


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
            _location(city, None, None) if located else None
            for located, city in zip(d.chance(20, 0.7), d.pick(21, catalog.CITIES), strict=True)
        ]

    @functools.cached_property
    def handles(self) -> list[int | None]:
        d = self.draws
        return [
            h if linked else None
            for linked, h in zip(d.chance(22, 0.5), d.below(23, 1 << 24), strict=True)
        ]


def _person(cols: _PersonColumns, i: int, entry: Person, member: str) -> Record:
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
        else f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}-{handle:06x}",
    }
    return _record("people", entry.record_id, entry.created_ns, member, raw)


def _people(
    seed_value: int, epoch: int, n: int, members: BuiltTables, companies: BuiltTables
) -> BuiltTables:
    d = seeding.RowDraws(n, 26, seed_value, "attio", "people")
    member_ids = tuple(members[MEMBERS_TABLE])
    firms: list[Company] = list(companies[index_key(COMPANIES)].values())
    cols = _PersonColumns(d, derive_seed(seed_value, "attio", "people", "text"))
    ids = d.uuids(0)
    firsts = d.weighted(2, catalog.FIRST_NAMES, catalog.FIRST_WEIGHTS)
    lasts = d.weighted(3, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    employers: list[Company | None] = (
        [c if e else None for c, e in zip(d.pick(5, firms), d.chance(4, 0.85), strict=True)]
        if firms
        else [None] * n
    )
    has_email, mail, style = d.chance(6, 0.85), d.pick(7, catalog.FREE_MAIL), d.below(8, 3)
    second, mail2, style2 = d.chance(9, 0.1), d.pick(10, catalog.FREE_MAIL), d.below(11, 3)
    num, num2 = d.ints(12, 1, 99), d.ints(13, 1, 99)
    titles = [
        t if titled else None
        for t, titled in zip(d.pick(18, catalog.JOB_TITLES), d.chance(17, 0.9), strict=True)
    ]
    created = _created([epoch - s for s in d.spans(24, 1 * DAY_NS, 1100 * DAY_NS)])
    creators = d.pick(25, member_ids)
    taken: set[str] = set()
    index: list[Person] = []
    for i, record_id in enumerate(ids):
        first, last, company = firsts[i], lasts[i], employers[i]
        emails: tuple[str, ...] = ()
        if has_email[i]:
            f, l_ = _ascii(first), _ascii(last)
            if company is None:
                local = (f"{f}.{l_}", f"{f}{l_}{num[i]}", f"{f[0]}{l_}")[style[i]]
                address = f"{local}@{mail[i]}"
            else:
                local = (f"{f}.{l_}", f"{f[0]}{l_}", f)[style[i]]
                address = f"{local}@{company.domain}"
            if address in taken:
                address = _next_free(local, address, taken)
            taken.add(address)
            emails = (address,)
            if company is not None and second[i]:
                local = (f"{f}.{l_}", f"{f}{l_}{num2[i]}", f"{f[0]}{l_}")[style2[i]]
                other = f"{local}@{mail2[i]}"
                if other in taken:
                    other = _next_free(local, other, taken)
                taken.add(other)
                emails = (address, other)
        index.append(
            _new_person(
                record_id,
                company.record_id if company else None,
                created[i],
                first,
                last,
                emails,
                titles[i],
            )
        )
    rows = {
        entry.record_id: LazyRow(_person, cols, i, entry, member)
        for i, (entry, member) in enumerate(zip(index, creators, strict=True))
    }
    return {PEOPLE: rows, index_key(PEOPLE): {p.record_id: p for p in index}}


def _next_free(local: str, address: str, taken: set[str]) -> str:
    """``address`` numbered from 2 until no one has it (``ada@x`` -> ``ada2@x``)."""
    domain = address.rpartition("@")[2]
    k = 2
    while address in taken:
        address = f"{local}{k}@{domain}"
        k += 1
    return address


def _deals(
    seed_value: int,
    epoch: int,
    n: int,
    members: BuiltTables,
    companies: BuiltTables,
    people: BuiltTables,
) -> BuiltTables:
    rng = seeding.stream(seed_value, "attio", "deals")
    member_ids = tuple(members[MEMBERS_TABLE])
    firms: list[Company] = list(companies[index_key(COMPANIES)].values())
    by_company: dict[str, list[str]] = {}
    for person in people[index_key(PEOPLE)].values():
        if person.company_id is not None:
            by_company.setdefault(person.company_id, []).append(person.record_id)
    rows: dict[str, LazyRow] = {}
    index: dict[str, Deal] = {}
    stamps: set[int] = set()
    for _ in range(min(n, len(firms) * 4)):
        company = rng.choice(firms)
        staff = by_company.get(company.record_id, [])
        stage = rng.choices(DEAL_STAGES, weights=(4, 5, 3, 2))[0]
        value = rng.randint(10, 1000) * 500
        raw = {
            "name": f"{company.name} - {rng.choice(catalog.DEAL_KINDS)}",
            "stage": stage,
            "owner": rng.choice(member_ids),
            "value": value,
            "associated_company": company.record_id,
            "associated_people": rng.sample(staff, min(len(staff), rng.randint(1, 3))) or None,
        }
        record_id = seeding.uuid4(rng)
        at = _stamps(rng, epoch, stamps, 1, 500, company.created_ns)
        rows[record_id] = LazyRow(_record, "deals", record_id, at, rng.choice(member_ids), raw)
        index[record_id] = Deal(record_id, company.record_id, at, stage, value)
    return {DEALS: rows, index_key(DEALS): index}


def _entry(
    list_slug: str, entry_id: str, parent_id: str, at_ns: int, member: str, raw: Mapping[str, Any]
) -> Record:
    lst = LISTS[list_slug]
    at = format_rfc3339_ns(at_ns)
    ctx = WriteContext(_SEEDING, _actor(member), at)
    values = seeded_values(lst.attributes, raw, at, ctx.actor)
    return build_entry(lst, entry_id, parent_id, ctx, values)


def _entries(
    seed_value: int, epoch: int, members: BuiltTables, companies: BuiltTables, people: BuiltTables
) -> BuiltTables:
    rng = seeding.stream(seed_value, "attio", "entries")
    member_ids = tuple(members[MEMBERS_TABLE])
    firms = list(companies[index_key(COMPANIES)].values())
    persons = list(people[index_key(PEOPLE)].values())
    plans: tuple[tuple[str, list[Any], int], ...] = (
        ("sales_pipeline", firms, min(40, len(firms) // 4)),
        ("key_contacts", persons, min(30, len(persons) // 10)),
    )
    rows: dict[str, LazyRow] = {}
    stamps: set[int] = set()
    for slug, parents, count in plans:
        for parent in rng.sample(parents, count):
            if slug == "sales_pipeline":
                raw: dict[str, Any] = {
                    "stage": rng.choice(PIPELINE_STAGES),
                    "priority": rng.choice(PRIORITIES),
                    "expected_value": rng.randint(4, 400) * 1000,
                }
            else:
                raw = {
                    "relationship": rng.choice(RELATIONSHIPS),
                    "last_contacted": format_rfc3339_ns(epoch - rng.randrange(1, 200) * DAY_NS)[
                        :10
                    ],
                }
            at = _stamps(rng, epoch, stamps, 0.01, 30, parent.created_ns)
            entry_id = seeding.uuid4(rng)
            rows[entry_id] = LazyRow(
                _entry, slug, entry_id, parent.record_id, at, rng.choice(member_ids), raw
            )
    return {ENTRIES: rows}


def _notes(
    seed_value: int,
    epoch: int,
    n: int,
    members: BuiltTables,
    companies: BuiltTables,
    people: BuiltTables,
    deals: BuiltTables,
) -> BuiltTables:
    rng = seeding.stream(seed_value, "attio", "notes")
    member_ids = tuple(members[MEMBERS_TABLE])
    parents = [
        (slug, rows)
        for slug, rows in (
            ("companies", list(companies[index_key(COMPANIES)].values())),
            ("people", list(people[index_key(PEOPLE)].values())),
            ("deals", list(deals[index_key(DEALS)].values())),
        )
        if rows
    ]
    weights = [{"companies": 5, "people": 4}.get(slug, 1) for slug, _ in parents]
    out: dict[str, Record] = {}
    stamps: set[int] = set()
    for _ in range(n if parents else 0):
        slug, candidates = rng.choices(parents, weights=weights)[0]
        parent = rng.choice(candidates)
        title = rng.choice(catalog.NOTE_TITLES)
        markdown = rng.random() < 0.3
        points = rng.sample(catalog.NOTE_POINTS, 2)
        step = rng.choice(catalog.NEXT_STEPS)
        if markdown:
            content = f"## {title}\n\n- {points[0]}\n- {points[1]}\n\n**Next:** {step}"
        else:
            content = f"{points[0]} {points[1]} Next step: {step}"
        note_id = seeding.uuid4(rng)
        actor = _actor(rng.choice(member_ids))
        at = _stamps(rng, epoch, stamps, 0.01, 60, parent.created_ns)
        out[note_id] = build_note(
            note_id,
            slug,
            parent.record_id,
            title,
            "markdown" if markdown else "plaintext",
            content,
            actor,
            format_rfc3339_ns(at),
        )
    return {NOTES: out}


_SIZES = tuple(range(len(EMPLOYEE_RANGES)))
_SIZE_CUM = tuple(itertools.accumulate((9, 14, 14, 10, 7, 4, 3, 1, 1)))


@functools.lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    """Lowercase letters and digits of ``text`` (names repeat: cached)."""
    return _NOT_ASCII.sub("", text.lower())


_NOT_ASCII = re.compile(r"[^a-z0-9]")


def _company_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        if rng.random() < 0.55:
            name = (
                f"{rng.choice(catalog.COMPANY_STEMS)}{rng.choice(('', ' '))}"
                f"{rng.choice(catalog.COMPANY_TAILS)}"
            )
        else:
            last = rng.choices(catalog.LAST_NAMES, cum_weights=catalog.LAST_WEIGHTS, k=2)
            name = rng.choice(
                (
                    f"{last[0]} {rng.choice(('Group', 'Partners', 'Inc', 'LLC'))}",
                    f"{last[0]}-{last[1]}",
                    f"{last[0]} & {last[1]}",
                )
            )
        if name not in taken:
            taken.add(name)
            return name


def _domain_for(tld: str, retry: random.Random, name: str, taken: set[str]) -> str:
    """The company's domain: its name's letters on .com, else ``tld``, .org, .dev, else a
    number on .com (a domain belongs to one company, duplicates aside)."""
    stem = _ascii(_LEGAL.sub("", name)) or "company"
    for suffix in ("com", tld, "org", "dev"):
        domain = f"{stem}.{suffix}"
        if domain not in taken:
            taken.add(domain)
            return domain
    domain = f"{stem}{retry.randint(2, 999)}.com"
    while domain in taken:
        domain = f"{stem}{retry.randint(2, 99_999)}.com"
    taken.add(domain)
    return domain


_LEGAL = re.compile(r"\b(Inc|LLC|Group|Partners)\b")


def _location(
    city: tuple[str, str, str, str, str], line_1: str | None, postcode: str | None
) -> dict[str, Any]:
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
