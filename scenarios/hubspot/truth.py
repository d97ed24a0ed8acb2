"""Ground truth of the HubSpot scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the task
tells the agent) and ``expected`` (what the checks compare against). They read the seeded
tables' indexes (:meth:`World.index`: HubSpot's companies and contacts, Attio's companies and
people), rendering no record. ``attio_sync`` also stages the world: it copies some of the
chosen Attio people into HubSpot first (the contacts that "already exist"), since the two
services are seeded independently. tests/mockapis/hubspot/test_hubspot_data.py checks that
the indexes agree with the records.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mockapis.attio.data import person_index
from mockapis.hubspot.data import Company, Contact
from mockapis.hubspot.records import create_record, email_owner
from mockapis.hubspot.schema import OBJECTS
from mockapis.world import World

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


def companies(world: World) -> list[Company]:
    """Every seeded company's index entry, in id order."""
    index: Mapping[str, Company] = world.index("hubspot.companies")
    return sorted(index.values(), key=lambda c: int(c.id))


def contacts_at(world: World) -> dict[str, list[str]]:
    """Company id -> the ids of its seeded contacts (their association), sorted."""
    index: Mapping[str, Contact] = world.index("hubspot.contacts")
    found: dict[str, list[str]] = defaultdict(list)
    for contact in index.values():
        if contact.company_id is not None:
            found[contact.company_id].append(contact.id)
    return {company: sorted(ids) for company, ids in found.items()}


def stage_by_domain(world: World, rng: random.Random) -> Truth:
    """A company's contacts (by association) get a lifecycle stage."""
    linked = contacts_at(world)
    candidates = [
        (c, linked[c.id]) for c in companies(world) if 3 <= len(linked.get(c.id, ())) <= 8
    ]
    company, ids = rng.choice(candidates)
    stage = rng.choice(["opportunity", "evangelist", "other"])
    return {
        "inputs": {"company": company.name, "domain": company.domain, "stage": stage},
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
    """``count`` people whose emails no seeded contact has (nor one another)."""
    index: Mapping[str, Contact] = world.index("hubspot.contacts")
    taken = {c.email.lower() for c in index.values()}
    people: list[dict[str, str]] = []
    places = domains or ["example.org", "mail.test"]
    # random() scaled rather than choice() and randint(): a quarter of their cost, for 250.
    draw = rng.random
    while len(people) < count:
        first, last = _FIRST[int(draw() * len(_FIRST))], _LAST[int(draw() * len(_LAST))]
        domain = places[int(draw() * len(places))]
        email = f"{first.lower()}.{last.lower()}.{salt}{10 + int(draw() * 99_990)}@{domain}"
        if email in taken:
            continue
        taken.add(email)
        people.append({"email": email, "firstname": first, "lastname": last})
    return people


def batch_contacts(world: World, rng: random.Random) -> Truth:
    """250 new contacts, each to associate with an existing company by domain."""
    by_domain = {c.domain: c.id for c in companies(world)}
    domains = sorted(rng.sample(sorted(by_domain), 20))
    people = _new_people(world, rng, 250, salt="b", domains=domains)
    contacts = [{**p, "company_domain": p["email"].split("@")[1]} for p in people]
    expected = {p["email"]: by_domain[p["company_domain"]] for p in contacts}
    return {
        "inputs": {"contacts": contacts, "count": len(contacts)},
        "expected": {"companies": expected, "count": len(contacts)},
    }


def attio_sync(world: World, rng: random.Random) -> dict[str, Any]:
    """Attio people at companies of one category: some already in HubSpot (staged here).
    Read from Attio's people index (who works at a company of each category, and the
    addresses of the people staged), rendering nobody; the expected contacts at grading."""
    attio_people = person_index(world)
    sizes = attio_people.email_category_sizes()
    fitting = sorted(c for c, n in sizes.items() if 12 <= n <= 45)
    # Some worlds (about 1 in 1,000) have only larger categories: then the smallest.
    category = rng.choice(fitting) if fitting else min(sorted(sizes), key=sizes.__getitem__)
    existing = []
    for i, row in enumerate(attio_people.with_email_in(category)):
        if i % 3 != 1:
            continue
        email = attio_people.first_email(row)
        assert email is not None  # with_email_in holds people with an address
        if email_owner(world, email) is None:
            # Already in HubSpot: the same person, entered by hand long ago (capitalised).
            staged = create_record(
                world,
                OBJECTS["contacts"],
                {
                    "email": email.capitalize(),
                    "firstname": attio_people.first_name(row),
                    "lastname": attio_people.last_name(row),
                },
                at_ns=world.clock.now_ns - 86_400 * 10**9 * (30 + i),
            )
            existing.append(staged["id"])
    return {
        "inputs": {"category": category},
        "expected": functools.partial(_attio_synced, category, existing),
    }


def _attio_synced(category: str, existing: list[str], world: World) -> dict[str, Any]:
    """Every Attio person of the category as a contact (email, names, job title)."""
    attio_people = person_index(world)
    expected = [
        {
            "email": attio_people.emails(row)[0].lower(),
            "firstname": attio_people.first_name(row),
            "lastname": attio_people.last_name(row),
            "jobtitle": attio_people.job_title(row) or "",
        }
        for row in attio_people.with_email_in(category)
    ]
    return {"people": expected, "existing": existing, "new": len(expected) - len(existing)}
