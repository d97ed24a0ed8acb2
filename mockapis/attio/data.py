"""The seeded workspace: members, token, companies (some duplicated), people, deals, lists.

Records are built lazily, table by table (:meth:`World.lazy`): a reset that reads no people
builds none. Each table draws from its own stream of the world seed, so it is the same
whichever tables were built before it; values come from the catalogue and :mod:`mockapis.pools`.
The companies' and people's indexes are themselves computed when read, column by column
(:mod:`mockapis.attio.companies`, :mod:`mockapis.attio.people`): a truth reads the facts it
needs, not every entry.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from mockapis import seeding
from mockapis.attio import catalog
from mockapis.attio.companies import Company, CompanyIndex, render_company
from mockapis.attio.notes import build_note
from mockapis.attio.oauth import CLIENTS, REFRESH_TOKENS, TOKEN_URL, TOKENS
from mockapis.attio.people import Person, PersonIndex, render_person
from mockapis.attio.schema import (
    CONFIG_CREATED_AT,
    DEAL_STAGES,
    LISTS,
    PIPELINE_STAGES,
    PRIORITIES,
    RELATIONSHIPS,
    WORKSPACE_ID,
)
from mockapis.attio.seeded import (
    DAY_NS,
    SeededRows,
    ascii_letters,
    seeded_context,
    seeded_record,
)
from mockapis.attio.values import seeded_values
from mockapis.attio.writes import build_entry
from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.service import resolve_sizes
from mockapis.tables import BuiltTables, LazyRow, Record, index_key
from mockapis.world import World

__all__ = [
    "DEFAULT_SIZES",
    "Company",
    "CompanyIndex",
    "Deal",
    "Person",
    "PersonIndex",
    "company_index",
    "person_index",
    "seed",
]

DEFAULT_SIZES: Mapping[str, int] = {"people": 400, "companies": 200, "deals": 60, "notes": 40}
MEMBERS = 5
SCOPES = (
    "record_permission:read-write object_configuration:read list_entry:read-write "
    "list_configuration:read note:read-write user_management:read"
)
MEMBERS_TABLE = "attio.members"
COMPANIES, PEOPLE, DEALS = "attio.companies", "attio.people", "attio.deals"
ENTRIES, NOTES = "attio.entries", "attio.notes"


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a workspace of the given sizes; the agent's bearer credentials."""
    counts = resolve_sizes("attio", sizes, DEFAULT_SIZES)
    base = (world.seed, world.clock.now_ns)
    members = world.lazy(MEMBERS_TABLE, _members, *base)
    member_ids = tuple(_member_ids(world.seed))
    token = _token(world, member_ids[0])
    oauth = _oauth(world, token)
    _lists(world, member_ids[0])
    # Companies and people take the members' ids, not their table: reading an index builds
    # no member.
    companies = world.lazy(COMPANIES, _companies, *base, counts["companies"], member_ids)
    people = world.lazy(PEOPLE, _people, *base, counts["people"], member_ids, deps=(companies,))
    deals = world.lazy(DEALS, _deals, *base, counts["deals"], deps=(members, companies, people))
    world.lazy(ENTRIES, _entries, *base, deps=(members, companies, people))
    world.lazy(NOTES, _notes, *base, counts["notes"], deps=(members, companies, people, deals))
    return {"type": "bearer", "token": token, "token_url": TOKEN_URL, **oauth}


def _secret(seed_value: int, kind: str) -> str:
    """64 hex digits derived from the seed (credentials: stable whatever else is drawn)."""
    return hashlib.blake2b(repr((seed_value, "attio", kind)).encode(), digest_size=32).hexdigest()


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
# Companies and people: their sources hand out indexes computed column by column when read
# (a truth choosing one person computes a few columns and that person's colleagues'
# addresses) and rows made when the table is first read. Deals, list entries and notes: drawn
# in one pass over their stream from the indexes of the tables they link to. Every record is
# rendered only when read: a reset that reads one person of 400 renders none.


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
            "email_address": f"{ascii_letters(first)}.{ascii_letters(last)}@apibench.io",
            "created_at": format_rfc3339_ns(at - at % 1000),
            "access_level": "admin" if i == 0 else "member",
        }
    return {MEMBERS_TABLE: rows}


class Deal(NamedTuple):
    """A deal's index entry."""

    record_id: str
    company_id: str
    created_ns: int
    stage: str
    value: int


def _companies(seed_value: int, epoch: int, n: int, members: tuple[str, ...]) -> BuiltTables:
    index = CompanyIndex(seed_value, epoch, n, members)
    return {COMPANIES: SeededRows(render_company, index), index_key(COMPANIES): index}


def _people(
    seed_value: int, epoch: int, n: int, members: tuple[str, ...], companies: BuiltTables
) -> BuiltTables:
    firms = companies[index_key(COMPANIES)]
    assert isinstance(firms, CompanyIndex)
    index = PersonIndex(seed_value, epoch, n, members, firms)
    return {PEOPLE: SeededRows(render_person, index), index_key(PEOPLE): index}


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
        rows[record_id] = LazyRow(
            seeded_record, "deals", record_id, at, rng.choice(member_ids), raw
        )
        index[record_id] = Deal(record_id, company.record_id, at, stage, value)
    return {DEALS: rows, index_key(DEALS): index}


def _entry(
    list_slug: str, entry_id: str, parent_id: str, at_ns: int, member: str, raw: Mapping[str, Any]
) -> Record:
    lst = LISTS[list_slug]
    at = format_rfc3339_ns(at_ns)
    ctx = seeded_context(member, at)
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
        actor = {"type": "workspace-member", "id": rng.choice(member_ids)}
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


def company_index(world: World) -> CompanyIndex:
    """The seeded companies' index of ``world`` (at its initial state)."""
    index = world.index(COMPANIES)
    assert isinstance(index, CompanyIndex)
    return index


def person_index(world: World) -> PersonIndex:
    """The seeded people's index of ``world`` (at its initial state)."""
    index = world.index(PEOPLE)
    assert isinstance(index, PersonIndex)
    return index
