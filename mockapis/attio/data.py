"""The seeded workspace: members, token, companies (some duplicated), people, deals, lists."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Mapping
from typing import Any

from faker import Faker

from mockapis.attio import catalog, formats
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
from mockapis.attio.values import WriteContext, parse_input
from mockapis.attio.writes import ValueMap, build_entry, build_record
from mockapis.clock import NS_PER_SECOND, format_rfc3339_ns
from mockapis.service import resolve_sizes
from mockapis.world import Record, World, derive_seed

__all__ = ["DEFAULT_SIZES", "seed"]

DEFAULT_SIZES: Mapping[str, int] = {"people": 400, "companies": 200, "deals": 60, "notes": 40}
DAY_NS = 86_400 * NS_PER_SECOND
SCOPES = (
    "record_permission:read-write object_configuration:read list_entry:read-write "
    "list_configuration:read note:read-write user_management:read"
)


def seed(world: World, sizes: Mapping[str, int]) -> dict[str, str]:
    """Fill ``world`` with a workspace of the given sizes; the agent's bearer credentials."""
    counts = resolve_sizes("attio", sizes, DEFAULT_SIZES)
    gen = _Generator(world)
    admin = gen.members()
    token = gen.token(admin)
    oauth = gen.oauth(token)
    gen.lists(admin)
    companies = gen.companies(counts["companies"])
    people = gen.people(counts["people"], companies)
    deals = gen.deals(counts["deals"], companies, people)
    gen.entries(companies, people)
    gen.notes(counts["notes"], {"companies": companies, "people": people, "deals": deals})
    return {"type": "bearer", "token": token, "token_url": TOKEN_URL, **oauth}


class _Generator:
    """One seeding run: the world, a reused Faker, and helpers for per-entity randomness."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.fake = Faker("en_US")
        self.epoch = world.clock.now_ns
        self.member_ids: list[str] = []
        self._stamps: set[int] = set()

    def rng(self, kind: str, i: int) -> random.Random:
        seed = derive_seed(self.world.seed, "attio", kind, i)
        self.fake.seed_instance(seed)
        return random.Random(seed)

    def stamp(
        self, rng: random.Random, low_days: float, high_days: float, after: str | None = None
    ) -> str:
        """A distinct moment ``low_days`` to ``high_days`` before the epoch, after ``after``."""
        low, high = int(low_days * DAY_NS), int(high_days * DAY_NS)
        if after is not None:
            high = min(high, self.epoch - (formats.parse_timestamp_ns(after) or 0) - 10_000)
            low = min(low, high // 2)
        ns = self.epoch - rng.randrange(low, high)
        ns -= ns % 1000  # Attio stores microseconds
        while ns in self._stamps:
            ns -= 1000
        self._stamps.add(ns)
        return format_rfc3339_ns(ns)

    def ctx(self, rng: random.Random, at: str) -> WriteContext:
        member = rng.choice(self.member_ids)
        return WriteContext(self.world, {"type": "workspace-member", "id": member}, at)

    def person_name(self, rng: random.Random) -> tuple[str, str]:
        first = rng.choices(catalog.FIRST_NAMES, cum_weights=catalog.FIRST_WEIGHTS)[0]
        last = rng.choices(catalog.LAST_NAMES, cum_weights=catalog.LAST_WEIGHTS)[0]
        return first, last

    # -- workspace ---------------------------------------------------------------------------

    def members(self) -> str:
        table = self.world.table("attio.members")
        for i in range(5):
            rng = self.rng("member", i)
            first, last = self.person_name(rng)
            member_id = self.world.uuid4()
            self.member_ids.append(member_id)
            table.put(
                member_id,
                {
                    "id": {"workspace_id": WORKSPACE_ID, "workspace_member_id": member_id},
                    "first_name": first,
                    "last_name": last,
                    "avatar_url": None,
                    "email_address": f"{_ascii(first)}.{_ascii(last)}@apibench.io",
                    "created_at": self.stamp(rng, 1300 + i, 1301 + i),
                    "access_level": "admin" if i == 0 else "member",
                },
            )
        return self.member_ids[0]

    def token(self, admin: str) -> str:
        token = "".join(
            f"{derive_seed(self.world.seed, 'attio', 'token', k):016x}" for k in (1, 2, 3, 4)
        )
        self.world.table(TOKENS).put(
            token,
            {
                "token": token,
                "token_id": self.world.uuid4(),
                "workspace_member_id": admin,
                "scope": SCOPES,
                "issued_at": self.epoch // NS_PER_SECOND - 86_400,
            },
        )
        return token

    def oauth(self, token: str) -> dict[str, str]:
        """The agent's OAuth client and a refresh token for the grant behind ``token`` (from
        derived seeds: the world's RNG is left alone, so the rest of the data stays put)."""
        access = self.world.table(TOKENS)[token]

        def secret(kind: str) -> str:
            return "".join(
                f"{derive_seed(self.world.seed, 'attio', kind, k):016x}" for k in (1, 2, 3, 4)
            )

        client_id = str(uuid.UUID(secret("client_id")[:32], version=4))
        client_secret, refresh_token = secret("client_secret"), secret("refresh_token")
        issued_at = self.epoch // NS_PER_SECOND - 86_400
        self.world.table(CLIENTS).put(
            client_id,
            {"client_id": client_id, "client_secret": client_secret, "created_at": issued_at},
        )
        self.world.table(REFRESH_TOKENS).put(
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
        return {
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
        }

    def lists(self, admin: str) -> None:
        for lst in LISTS.values():
            self.world.table("attio.lists").put(
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

    def _put(self, slug: str, ctx: WriteContext, raw: Mapping[str, Any]) -> Record:
        obj = OBJECTS[slug]
        values: ValueMap = {
            key: parse_input(obj.attributes[key], value, ctx)
            for key, value in raw.items()
            if value is not None
        }
        record_id = self.world.uuid4()
        record = build_record(obj, record_id, ctx, values)
        self.world.table(f"attio.{slug}").put(record_id, record)
        return record

    # -- records -----------------------------------------------------------------------------

    def companies(self, n: int) -> list[Record]:
        made: list[Record] = []
        names: set[str] = set()
        domains: set[str] = set()
        for i in range(n):
            rng = self.rng("company", i)
            name = _company_name(rng, self.fake, names)
            domain = _domain_for(rng, name, domains)
            size = rng.choices(range(len(EMPLOYEE_RANGES)), weights=(9, 14, 14, 10, 7, 4, 3, 1, 1))[
                0
            ]
            city = rng.choice(catalog.CITIES)
            raw = {
                "name": name,
                "domains": [domain],
                "description": self.fake.catch_phrase() + ".",
                "categories": rng.sample(CATEGORIES, rng.randint(1, 3)),
                "employee_range": EMPLOYEE_RANGES[size],
                "estimated_arr_usd": ARR_RANGES[max(0, min(9, size + rng.randint(-1, 1)))],
                "funding_raised_usd": (rng.randint(1, 400) * 250_000)
                if rng.random() < 0.7
                else None,
                "foundation_date": f"{rng.randint(1960, 2021)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}"
                if rng.random() < 0.9
                else None,
                "primary_location": _location(
                    city, self.fake.street_address(), self.fake.postcode()
                ),
                "linkedin": f"https://www.linkedin.com/company/{domain.split('.')[0]}",
            }
            made.append(self._put("companies", self.ctx(rng, self.stamp(rng, 30, 1200)), raw))
        originals = self.rng("duplicates", 0).sample(made, min(5, n // 20))
        for k, original in enumerate(originals):
            rng = self.rng("duplicate", k)
            base = original["values"]["name"][0]["value"]
            raw = {
                "name": rng.choice((f"{base} Inc.", base.upper(), f"{base} (old)", f"The {base}")),
                "domains": [original["values"]["domains"][0]["domain"]],
                "description": None if rng.random() < 0.5 else "Imported from spreadsheet.",
            }
            at = self.stamp(rng, 5, 400, original["created_at"])
            made.append(self._put("companies", self.ctx(rng, at), raw))
        return made

    def people(self, n: int, companies: list[Record]) -> list[Record]:
        made: list[Record] = []
        emails: set[str] = set()
        for i in range(n):
            rng = self.rng("person", i)
            first, last = self.person_name(rng)
            company = rng.choice(companies) if companies and rng.random() < 0.85 else None
            email_list: list[str] = []
            if rng.random() >= 0.15:
                domain = (
                    company["values"]["domains"][0]["domain"]
                    if company
                    else rng.choice(catalog.FREE_MAIL)
                )
                email_list.append(_unique_email(rng, first, last, domain, company is None, emails))
                if company and rng.random() < 0.1:
                    email_list.append(
                        _unique_email(rng, first, last, rng.choice(catalog.FREE_MAIL), True, emails)
                    )
            city = rng.choice(catalog.CITIES)
            raw = {
                "name": {"first_name": first, "last_name": last},
                "email_addresses": email_list or None,
                "phone_numbers": [f"+1 {rng.randint(201, 989)}-555-{rng.randint(100, 9999):04d}"]
                if rng.random() < 0.6
                else None,
                "job_title": rng.choice(catalog.JOB_TITLES) if rng.random() < 0.9 else None,
                "company": company["id"]["record_id"] if company else None,
                "description": self.fake.sentence() if rng.random() < 0.3 else None,
                "primary_location": _location(city, None, None) if rng.random() < 0.7 else None,
                "linkedin": f"https://www.linkedin.com/in/{_ascii(first)}-{_ascii(last)}-"
                f"{rng.getrandbits(24):06x}"
                if rng.random() < 0.5
                else None,
            }
            made.append(self._put("people", self.ctx(rng, self.stamp(rng, 1, 1100)), raw))
        return made

    def deals(self, n: int, companies: list[Record], people: list[Record]) -> list[Record]:
        made: list[Record] = []
        by_company: dict[str, list[str]] = {}
        for person in people:
            for ref in person["values"]["company"]:
                by_company.setdefault(ref["target_record_id"], []).append(person["id"]["record_id"])
        for i in range(min(n, len(companies) * 4)):
            rng = self.rng("deal", i)
            company = rng.choice(companies)
            company_id = company["id"]["record_id"]
            staff = by_company.get(company_id, [])
            company_name = company["values"]["name"][0]["value"]
            raw = {
                "name": f"{company_name} - {rng.choice(catalog.DEAL_KINDS)}",
                "stage": rng.choices(DEAL_STAGES, weights=(4, 5, 3, 2))[0],
                "owner": {
                    "referenced_actor_type": "workspace-member",
                    "referenced_actor_id": rng.choice(self.member_ids),
                },
                "value": rng.randint(10, 1000) * 500,
                "associated_company": company_id,
                "associated_people": rng.sample(staff, min(len(staff), rng.randint(1, 3))) or None,
            }
            made.append(
                self._put(
                    "deals", self.ctx(rng, self.stamp(rng, 1, 500, company["created_at"])), raw
                )
            )
        return made

    # -- lists and notes ---------------------------------------------------------------------

    def entries(self, companies: list[Record], people: list[Record]) -> None:
        plans = (
            (LISTS["sales_pipeline"], companies, min(40, len(companies) // 4)),
            (LISTS["key_contacts"], people, min(30, len(people) // 10)),
        )
        table = self.world.table("attio.entries")
        for lst, parents, count in plans:
            rng = self.rng(f"list:{lst.slug}", 0)
            for i, parent in enumerate(rng.sample(parents, count)):
                erng = self.rng(f"entry:{lst.slug}", i)
                if lst.slug == "sales_pipeline":
                    raw: dict[str, Any] = {
                        "stage": erng.choice(PIPELINE_STAGES),
                        "priority": erng.choice(PRIORITIES),
                        "expected_value": erng.randint(4, 400) * 1000,
                    }
                else:
                    raw = {
                        "relationship": erng.choice(RELATIONSHIPS),
                        "last_contacted": format_rfc3339_ns(
                            self.epoch - erng.randrange(1, 200) * DAY_NS
                        )[:10],
                    }
                ctx = self.ctx(erng, self.stamp(erng, 0.01, 30, parent["created_at"]))
                values = {k: parse_input(lst.attributes[k], v, ctx) for k, v in raw.items()}
                entry_id = self.world.uuid4()
                table.put(
                    entry_id, build_entry(lst, entry_id, parent["id"]["record_id"], ctx, values)
                )

    def notes(self, n: int, parents: Mapping[str, list[Record]]) -> None:
        pools = [(slug, rows) for slug, rows in parents.items() if rows]
        table = self.world.table("attio.notes")
        for i in range(n if pools else 0):
            rng = self.rng("note", i)
            weights = [{"companies": 5, "people": 4}.get(slug, 1) for slug, _ in pools]
            slug, rows = rng.choices(pools, weights=weights)[0]
            parent = rng.choice(rows)
            title = rng.choice(catalog.NOTE_TITLES)
            markdown = rng.random() < 0.3
            points = rng.sample(catalog.NOTE_POINTS, 2)
            step = rng.choice(catalog.NEXT_STEPS)
            if markdown:
                content = f"## {title}\n\n- {points[0]}\n- {points[1]}\n\n**Next:** {step}"
            else:
                content = f"{points[0]} {points[1]} Next step: {step}"
            note_id = self.world.uuid4()
            actor = {"type": "workspace-member", "id": rng.choice(self.member_ids)}
            table.put(
                note_id,
                build_note(
                    note_id,
                    slug,
                    parent["id"]["record_id"],
                    title,
                    "markdown" if markdown else "plaintext",
                    content,
                    actor,
                    self.stamp(rng, 0.01, 60, parent["created_at"]),
                ),
            )


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _company_name(rng: random.Random, fake: Faker, taken: set[str]) -> str:
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


def _domain_for(rng: random.Random, name: str, taken: set[str]) -> str:
    stem = _ascii(re.sub(r"\b(Inc|LLC|Group|Partners)\b", "", name)) or "company"
    for tld in ("com", rng.choice(("io", "co", "ai", "net")), "org", "dev"):
        domain = f"{stem}.{tld}"
        if domain not in taken:
            taken.add(domain)
            return domain
    domain = f"{stem}{rng.randint(2, 999)}.com"
    taken.add(domain)
    return domain


def _unique_email(
    rng: random.Random, first: str, last: str, domain: str, personal: bool, taken: set[str]
) -> str:
    f, l_ = _ascii(first), _ascii(last)
    local = rng.choice(
        (f"{f}.{l_}", f"{f[0]}{l_}", f)
        if not personal
        else (f"{f}.{l_}", f"{f}{l_}{rng.randint(1, 99)}", f"{f[0]}{l_}")
    )
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
