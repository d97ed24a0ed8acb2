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
from mockapis.world import BuiltTables, LazyRow, Record, World, derive_seed

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
    ns -= ns % 1000  # Attio stores microseconds
    while ns in taken:
        ns -= 1000
    taken.add(ns)
    return ns


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


class _CompanyDraws(NamedTuple):
    """A companies table's drawn columns: what a row renders from, besides its index entry."""

    phrases: list[str]
    n_categories: list[int]
    sizes: list[int]
    arr_delta: list[int]
    funded: list[bool]
    funding: list[int]
    dated: list[bool]
    years: list[int]
    months: list[int]
    days: list[int]
    cities: list[tuple[str, str, str, str, str]]
    streets: list[str]
    postcodes: list[str]


def _company(cols: _CompanyDraws, i: int, entry: Company, member: str) -> Record:
    size = cols.sizes[i]
    raw = {
        "name": entry.name,
        "domains": entry.domain,
        "description": cols.phrases[i] + ".",
        "categories": list(entry.categories),
        "employee_range": entry.employee_range,
        "estimated_arr_usd": ARR_RANGES[max(0, min(9, size + cols.arr_delta[i]))],
        "funding_raised_usd": cols.funding[i] * 250_000 if cols.funded[i] else None,
        "foundation_date": entry.foundation_date,
        "primary_location": _location(cols.cities[i], cols.streets[i], cols.postcodes[i]),
        "linkedin": f"https://www.linkedin.com/company/{entry.domain.split('.')[0]}",
    }
    return _record("companies", entry.record_id, entry.created_ns, member, raw)


def _companies(seed_value: int, epoch: int, n: int, members: BuiltTables) -> BuiltTables:
    d = seeding.RowDraws(n, 29, seed_value, "attio", "companies")
    retry = seeding.stream(seed_value, "attio", "companies", "retry")  # name/domain clashes
    member_ids = tuple(members[MEMBERS_TABLE])
    cols = _CompanyDraws(
        phrases=d.pick(12, pool("catch_phrase")),
        n_categories=d.ints(13, 1, 3),
        sizes=d.weighted(10, _SIZES, _SIZE_CUM),
        arr_delta=d.ints(17, -1, 1),
        funded=d.chance(18, 0.7),
        funding=d.ints(19, 1, 400),
        dated=d.chance(20, 0.9),
        years=d.ints(21, 1960, 2021),
        months=d.ints(22, 1, 12),
        days=d.ints(23, 1, 28),
        cities=d.pick(11, catalog.CITIES),
        streets=d.pick(24, pool("street_address")),
        postcodes=d.pick(25, pool("postcode")),
    )
    ids = d.uuids(0)
    named_after, forms = d.chance(2, 0.45), d.below(8, 3)
    stems, spaced, tails = (
        d.pick(3, catalog.COMPANY_STEMS),
        d.chance(4, 0.5),
        d.pick(5, catalog.COMPANY_TAILS),
    )
    last_a = d.weighted(6, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    last_b = d.weighted(7, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    kinds = d.pick(28, (" Group", " Partners", " Inc", " LLC"))
    tlds = d.pick(9, ("io", "co", "ai", "net"))
    stamps = d.spans(26, 30 * DAY_NS, 1200 * DAY_NS)
    creators = d.pick(27, member_ids)
    categories = d.samples(14, CATEGORIES, 3)  # a row keeps its first 1-3
    rows: dict[str, LazyRow] = {}
    index: list[Company] = []
    names: set[str] = set()
    domains: set[str] = set()
    taken: set[int] = set()
    for i, record_id in enumerate(ids):
        if named_after[i]:
            a, b = last_a[i], last_b[i]
            name = (f"{a}{kinds[i]}", f"{a}-{b}", f"{a} & {b}")[forms[i]]
        else:
            name = f"{stems[i]}{' ' if spaced[i] else ''}{tails[i]}"
        if name in names:
            name = _company_name(retry, names)
        names.add(name)
        domain = _domain_for(tlds[i], retry, name, domains)
        at = _distinct(epoch - stamps[i], taken)
        founded = (
            f"{cols.years[i]}-{cols.months[i]:02d}-{cols.days[i]:02d}" if cols.dated[i] else None
        )
        entry = Company(
            record_id,
            name,
            domain,
            at,
            EMPLOYEE_RANGES[cols.sizes[i]],
            tuple(categories[i][: cols.n_categories[i]]),
            founded,
        )
        rows[record_id] = LazyRow(_company, cols, i, entry, creators[i])
        index.append(entry)
    # Duplicates by domain: a spreadsheet import made later under a variant of the name.
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
    return {COMPANIES: rows, f"{COMPANIES}:index": {c.record_id: c for c in index}}


def _distinct(ns: int, taken: set[int]) -> int:
    """``ns`` cut to microseconds (as Attio stores them), moved back until no row has it."""
    ns -= ns % 1000
    while ns in taken:
        ns -= 1000
    taken.add(ns)
    return ns


class Person(NamedTuple):
    """A person's index entry: what other tables and truths need, without rendering it."""

    record_id: str
    company_id: str | None
    created_ns: int
    first_name: str
    last_name: str
    emails: tuple[str, ...]
    job_title: str | None


class Deal(NamedTuple):
    """A deal's index entry."""

    record_id: str
    company_id: str
    created_ns: int
    stage: str
    value: int


class _PersonDraws(NamedTuple):
    """A people table's drawn columns: what a row renders from, besides its name and emails."""

    text_seed: int
    phoned: list[bool]
    areas: list[int]
    lines: list[int]
    titled: list[bool]
    titles: list[str]
    described: list[bool]
    located: list[bool]
    cities: list[tuple[str, str, str, str, str]]
    linked: list[bool]
    handles: list[int]


def _person(cols: _PersonDraws, i: int, entry: Person, member: str) -> Record:
    first, last = entry.first_name, entry.last_name
    raw = {
        "name": {"first_name": first, "last_name": last},
        "email_addresses": list(entry.emails) or None,
        "phone_numbers": f"+1 {cols.areas[i]}-555-{cols.lines[i]:04d}" if cols.phoned[i] else None,
        "job_title": entry.job_title,
        "company": entry.company_id,
        # Variable-length text comes from the row's own stream (rendered rows are independent).
        "description": seeding.sentence(seeding.stream(cols.text_seed, i))
        if cols.described[i]
        else None,
        "primary_location": _location(cols.cities[i], None, None) if cols.located[i] else None,
        "linkedin": f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}-"
        f"{cols.handles[i]:06x}"
        if cols.linked[i]
        else None,
    }
    return _record("people", entry.record_id, entry.created_ns, member, raw)


def _people(
    seed_value: int, epoch: int, n: int, members: BuiltTables, companies: BuiltTables
) -> BuiltTables:
    d = seeding.RowDraws(n, 26, seed_value, "attio", "people")
    member_ids = tuple(members[MEMBERS_TABLE])
    firms: list[Company] = list(companies[f"{COMPANIES}:index"].values())
    cols = _PersonDraws(
        text_seed=derive_seed(seed_value, "attio", "people", "text"),
        phoned=d.chance(14, 0.6),
        areas=d.ints(15, 201, 989),
        lines=d.ints(16, 100, 9999),
        titled=d.chance(17, 0.9),
        titles=d.pick(18, catalog.JOB_TITLES),
        described=d.chance(19, 0.3),
        located=d.chance(20, 0.7),
        cities=d.pick(21, catalog.CITIES),
        linked=d.chance(22, 0.5),
        handles=d.below(23, 1 << 24),
    )
    ids = d.uuids(0)
    firsts = d.weighted(2, catalog.FIRST_NAMES, catalog.FIRST_WEIGHTS)
    lasts = d.weighted(3, catalog.LAST_NAMES, catalog.LAST_WEIGHTS)
    employed = d.chance(4, 0.85) if firms else [False] * n
    employers: list[Company | None] = d.pick(5, firms) if firms else [None] * n
    has_email, mail, style = d.chance(6, 0.85), d.pick(7, catalog.FREE_MAIL), d.below(8, 3)
    second, mail2, style2 = d.chance(9, 0.1), d.pick(10, catalog.FREE_MAIL), d.below(11, 3)
    num, num2 = d.ints(12, 1, 99), d.ints(13, 1, 99)
    stamps = d.spans(24, 1 * DAY_NS, 1100 * DAY_NS)
    creators = d.pick(25, member_ids)
    rows: dict[str, LazyRow] = {}
    index: list[Person] = []
    emails: set[str] = set()
    taken: set[int] = set()
    for i, record_id in enumerate(ids):
        first, last = firsts[i], lasts[i]
        company = employers[i] if employed[i] else None
        email_list: list[str] = []
        if has_email[i]:
            domain = company.domain if company else mail[i]
            email_list.append(
                _unique_email(first, last, domain, company is None, style[i], num[i], emails)
            )
            if company and second[i]:
                email_list.append(
                    _unique_email(first, last, mail2[i], True, style2[i], num2[i], emails)
                )
        entry = Person(
            record_id,
            company.record_id if company else None,
            _distinct(epoch - stamps[i], taken),
            first,
            last,
            tuple(email_list),
            cols.titles[i] if cols.titled[i] else None,
        )
        rows[record_id] = LazyRow(_person, cols, i, entry, creators[i])
        index.append(entry)
    return {PEOPLE: rows, f"{PEOPLE}:index": {p.record_id: p for p in index}}


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
    firms: list[Company] = list(companies[f"{COMPANIES}:index"].values())
    by_company: dict[str, list[str]] = {}
    for person in people[f"{PEOPLE}:index"].values():
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
    return {DEALS: rows, f"{DEALS}:index": index}


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
    firms = list(companies[f"{COMPANIES}:index"].values())
    persons = list(people[f"{PEOPLE}:index"].values())
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
            ("companies", list(companies[f"{COMPANIES}:index"].values())),
            ("people", list(people[f"{PEOPLE}:index"].values())),
            ("deals", list(deals[f"{DEALS}:index"].values())),
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


def _unique_email(
    first: str, last: str, domain: str, personal: bool, style: int, number: int, taken: set[str]
) -> str:
    f, l_ = _ascii(first), _ascii(last)
    local = (
        (f"{f}.{l_}", f"{f}{l_}{number}", f"{f[0]}{l_}")
        if personal
        else (f"{f}.{l_}", f"{f[0]}{l_}", f)
    )[style]
    address = f"{local}@{domain}"
    k = 2
    while address in taken:
        address = f"{local}{k}@{domain}"
        k += 1
    taken.add(address)
    return address


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
