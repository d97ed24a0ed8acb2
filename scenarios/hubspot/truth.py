"""Ground truth of the HubSpot scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the task
tells the agent) and ``expected`` (what the checks compare against). ``attio_sync`` also
stages the world: it copies some of the chosen Attio people into HubSpot first (the contacts
that "already exist"), since the two services are seeded independently.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from mockapis.hubspot.records import create_record, email_owner
from mockapis.hubspot.schema import OBJECTS
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]

_FIRST = (
    "Ava",
    "Noah",
    "Mia",
    "Liam",
    "Zoe",
    "Ethan",
    "Ivy",
    "Owen",
    "Nora",
    "Leo",
    "Ruby",
    "Eli",
    "Maya",
    "Jude",
    "Lena",
    "Finn",
    "Iris",
    "Theo",
    "Cleo",
    "Axel",
)
_LAST = (
    "Moreau",
    "Lindqvist",
    "Okafor",
    "Tanaka",
    "Novak",
    "Haddad",
    "Silva",
    "Kowalski",
    "Brennan",
    "Duarte",
    "Ishikawa",
    "Varga",
    "Osei",
    "Larsen",
    "Petrov",
    "Quinn",
)


def _rows(world: World, table: str) -> list[Record]:
    found = world.table(table)
    return [found[k] for k in sorted(found, key=int)]


def _companies_by_domain(world: World) -> dict[str, Record]:
    return {c["properties"]["domain"]: c for c in _rows(world, "hubspot.companies")}


def _contacts_at(world: World, company_id: str) -> list[str]:
    links = world.table("hubspot.associations")
    return sorted(
        link["fromObjectId"]
        for link in links.values()
        if link["fromObjectType"] == "contacts"
        and link["toObjectType"] == "companies"
        and link["toObjectId"] == company_id
    )


def stage_by_domain(world: World, rng: random.Random) -> Truth:
    """A company's contacts (by association) get a lifecycle stage."""
    candidates = []
    for company in _rows(world, "hubspot.companies"):
        ids = _contacts_at(world, company["id"])
        if 3 <= len(ids) <= 8:
            candidates.append((company, ids))
    company, ids = rng.choice(candidates)
    stage = rng.choice(["opportunity", "evangelist", "other"])
    return {
        "inputs": {
            "company": company["properties"]["name"],
            "domain": company["properties"]["domain"],
            "stage": stage,
        },
        "expected": {"ids": ids, "stage": stage, "count": len(ids)},
    }


def company_for_user(world: World, rng: random.Random) -> Truth:
    """A new company the user creates through the app (authorization code flow)."""
    users = list(world.table("hubspot._users").values())
    word = rng.choice(["Harbor", "Summit", "Lumen", "Cobalt", "Juniper", "Atlas"])
    suffix = rng.randint(100, 999)
    name = f"{word} Analytics {suffix}"
    domain = f"{word.lower()}analytics{suffix}.io"
    return {
        "inputs": {"name": name, "domain": domain, "user": users[0]["username"]},
        "expected": {"name": name, "domain": domain, "user_id": users[0]["user_id"]},
    }


def new_contacts(world: World, rng: random.Random) -> Truth:
    """A handful of new contacts (emails that do not exist yet)."""
    people = _new_people(world, rng, rng.randint(3, 5), salt="cc")
    return {
        "inputs": {"contacts": people, "count": len(people)},
        "expected": {"contacts": people, "count": len(people)},
    }


def _new_people(
    world: World, rng: random.Random, count: int, *, salt: str, domains: list[str] | None = None
) -> list[dict[str, str]]:
    people: list[dict[str, str]] = []
    taken: set[str] = set()
    while len(people) < count:
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        domain = rng.choice(domains) if domains else rng.choice(["example.org", "mail.test"])
        email = f"{first.lower()}.{last.lower()}.{salt}{rng.randint(10, 99999)}@{domain}"
        if email in taken or email_owner(world, email) is not None:
            continue
        taken.add(email)
        people.append({"email": email, "firstname": first, "lastname": last})
    return people


def batch_contacts(world: World, rng: random.Random) -> Truth:
    """250 new contacts, each to associate with an existing company by domain."""
    domains = sorted(rng.sample(sorted(_companies_by_domain(world)), 20))
    people = _new_people(world, rng, 250, salt="b", domains=domains)
    by_domain = _companies_by_domain(world)
    contacts = [{**p, "company_domain": p["email"].split("@")[1]} for p in people]
    expected = {p["email"]: by_domain[p["company_domain"]]["id"] for p in contacts}
    return {
        "inputs": {"contacts": contacts, "count": len(contacts)},
        "expected": {"companies": expected, "count": len(contacts)},
    }


def _attio_text(record: Record, slug: str, field: str = "value") -> Any:
    values = record["values"].get(slug) or []
    return values[0][field] if values else None


def attio_sync(world: World, rng: random.Random) -> Truth:
    """Attio people at companies of one category: some already in HubSpot (staged here)."""
    companies = _rows_attio(world, "attio.companies")
    by_category: dict[str, list[str]] = defaultdict(list)
    for company in companies:
        for value in company["values"].get("categories") or []:
            by_category[value["option"]["title"]].append(company["id"]["record_id"])
    people_by_category: dict[str, list[Record]] = {}
    for category, ids in by_category.items():
        chosen = set(ids)
        people = [
            p
            for p in _rows_attio(world, "attio.people")
            if _attio_text(p, "company", "target_record_id") in chosen
            and _attio_text(p, "email_addresses", "email_address")
        ]
        if 12 <= len(people) <= 45:
            people_by_category[category] = people
    category = rng.choice(sorted(people_by_category))
    people = people_by_category[category]
    expected, existing = [], []
    for i, person in enumerate(people):
        email = str(_attio_text(person, "email_addresses", "email_address"))
        want = {
            "email": email.lower(),
            "firstname": _attio_text(person, "name", "first_name") or "",
            "lastname": _attio_text(person, "name", "last_name") or "",
            "jobtitle": _attio_text(person, "job_title") or "",
        }
        expected.append(want)
        if i % 3 == 1 and email_owner(world, email) is None:
            # Already in HubSpot: the same person, entered by hand long ago (capitalised).
            staged = create_record(
                world,
                OBJECTS["contacts"],
                {
                    "email": email.capitalize(),
                    "firstname": want["firstname"],
                    "lastname": want["lastname"],
                },
                at_ns=world.clock.now_ns - 86_400 * 10**9 * (30 + i),
            )
            existing.append(staged["id"])
    return {
        "inputs": {"category": category},
        "expected": {
            "people": expected,
            "existing": existing,
            "new": len(expected) - len(existing),
        },
    }


def _rows_attio(world: World, table: str) -> list[Record]:
    found = world.table(table)
    return [found[k] for k in sorted(found)]
