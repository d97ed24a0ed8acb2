"""Ground truth of the Attio scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
They read the seeded tables' indexes (:meth:`World.index`: what every record says, without
rendering hundreds of records at each reset) and render only the records they pick;
tests/mockapis/attio/test_attio_data.py checks that the indexes agree with the records.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mockapis.attio.data import Company, Deal, Person
from mockapis.world import Record, World

Truth = dict[str, dict[str, Any]]


def text(record: Record, slug: str) -> str | None:
    """The first text/number/date value of ``slug``, or None."""
    values = record["values"].get(slug) or []
    return values[0]["value"] if values else None


def full_name(person: Record) -> str:
    """A person's full name."""
    names = person["values"]["name"]
    return str(names[0]["full_name"]) if names else ""


def emails(person: Record) -> list[str]:
    """A person's email addresses, in order."""
    return [v["email_address"] for v in person["values"]["email_addresses"]]


def domains(company: Record) -> list[str]:
    """A company's domains, in order."""
    return [v["domain"] for v in company["values"]["domains"]]


def option_titles(record: Record, slug: str) -> list[str]:
    """Titles of a select attribute's options."""
    return [v["option"]["title"] for v in record["values"].get(slug) or []]


def company_of(person: Record) -> str | None:
    """The record id of a person's company, if any."""
    refs = person["values"]["company"]
    return refs[0]["target_record_id"] if refs else None


def companies(world: World) -> list[Company]:
    """Every seeded company's index entry, in id order (a stable order for the RNG)."""
    index: Mapping[str, Company] = world.index("attio.companies")
    return [index[k] for k in sorted(index)]


def people(world: World) -> list[Person]:
    """Every seeded person's index entry, in id order."""
    index: Mapping[str, Person] = world.index("attio.people")
    return [index[k] for k in sorted(index)]


def record_by_id(world: World, rng: random.Random) -> Truth:
    """A random person with a job title and email, by id."""
    chosen = rng.choice([p for p in people(world) if p.job_title and p.emails])
    person = world.table("attio.people")[chosen.record_id]
    return {
        "inputs": {"record_id": person["id"]["record_id"]},
        "expected": {
            "full_name": full_name(person),
            "job_title": text(person, "job_title"),
            "email": emails(person)[0],
        },
    }


def people_without_email(world: World, rng: random.Random) -> Truth:
    """Every person with no email address."""
    ids = [p.record_id for p in people(world) if not p.emails]
    return {"inputs": {}, "expected": {"ids": sorted(ids)}}


def oldest_people(world: World, rng: random.Random) -> Truth:
    """The N earliest-created people, oldest first."""
    n = rng.randint(5, 15)
    oldest = sorted(people(world), key=lambda p: p.created_ns)
    return {"inputs": {"n": n}, "expected": {"ids": [p.record_id for p in oldest[:n]]}}


def companies_founded_before(world: World, rng: random.Random) -> Truth:
    """Companies founded before a year chosen so that the matches span several pages."""
    dated = [(c, int(c.foundation_date[:4])) for c in companies(world) if c.foundation_date]
    years = sorted(year for _, year in dated)
    # A cut between the 55th and 75th percentile: more matches than one page of 500 holds.
    year = years[int(len(years) * rng.uniform(0.55, 0.75))]
    ids = [c.record_id for c, founded in dated if founded < year]
    return {"inputs": {"year": year}, "expected": {"ids": sorted(ids), "count": len(ids)}}


def create_people(world: World, rng: random.Random) -> Truth:
    """Three new people to create, each linked to an existing company by its domain."""
    owners: dict[str, int] = defaultdict(int)
    for company in companies(world):
        owners[company.domain] += 1
    # Only domains that name one company: a shared domain would make the link ambiguous.
    candidates = [c for c in companies(world) if owners[c.domain] == 1]
    taken = {e for p in people(world) for e in p.emails}
    first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Tim", "Frances"]
    last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Lee"]
    titles = ["Head of Data", "Staff Engineer", "VP Sales", "Chief of Staff", "Buyer"]
    made = []
    for company in rng.sample(candidates, 3):
        given, family = rng.choice(first), rng.choice(last)
        domain = company.domain
        email = f"{given.lower()}.{family.lower()}{rng.randint(10, 99)}@{domain}"
        while email in taken:
            email = f"{given.lower()}.{family.lower()}{rng.randint(100, 999)}@{domain}"
        taken.add(email)
        made.append(
            {
                "first_name": given,
                "last_name": family,
                "email": email,
                "job_title": rng.choice(titles),
                "company_domain": domain,
                "company_id": company.record_id,
            }
        )
    listing = "\n".join(
        f"- {p['first_name']} {p['last_name']}, {p['job_title']}, {p['email']}, "
        f"works at the company with domain {p['company_domain']}"
        for p in made
    )
    return {"inputs": {"people": made, "listing": listing}, "expected": {"people": made}}


def update_person(world: World, rng: random.Random) -> Truth:
    """A person with at least one email gets another email and a new job title."""
    chosen = rng.choice([p for p in people(world) if p.emails and p.job_title])
    person = world.table("attio.people")[chosen.record_id]
    local = full_name(person).lower().replace(" ", ".").replace("'", "")
    new_email = f"{local}.{rng.randint(100, 999)}@personal-mail.example"
    titles = ["Director of Operations", "Principal Engineer", "Head of Partnerships"]
    new_title = rng.choice([t for t in titles if t != text(person, "job_title")])
    return {
        "inputs": {
            "record_id": person["id"]["record_id"],
            "name": full_name(person),
            "new_email": new_email,
            "new_title": new_title,
        },
        "expected": {
            "record_id": person["id"]["record_id"],
            "emails": [*emails(person), new_email],
            "job_title": new_title,
        },
    }


def duplicate_companies(world: World, rng: random.Random) -> Truth:
    """Companies sharing a domain: the oldest of each group survives and inherits people."""
    groups: dict[str, list[Company]] = defaultdict(list)
    for company in companies(world):
        groups[company.domain].append(company)
    survivors: dict[str, str] = {}
    removed: dict[str, str] = {}
    for domain, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda c: c.created_ns)
        survivors[domain] = members[0].record_id
        for dup in members[1:]:
            removed[dup.record_id] = members[0].record_id
    moved = {p.record_id: removed[p.company_id] for p in people(world) if p.company_id in removed}
    return {
        "inputs": {},
        "expected": {
            "survivors": survivors,
            "removed": removed,
            "moved_people": moved,
            "removed_count": len(removed),
        },
    }


def note_per_company(world: World, rng: random.Random) -> Truth:
    """Companies in a category and employee range each get one note."""
    pairs = defaultdict(list)
    for c in companies(world):
        for category in c.categories:
            if c.employee_range:
                pairs[(category, c.employee_range)].append(c.record_id)
    candidates = sorted(k for k, v in pairs.items() if 3 <= len(v) <= 12)
    category, size = rng.choice(candidates)
    title = f"Q{rng.randint(1, 4)} account review"
    return {
        "inputs": {"category": category, "employee_range": size, "title": title},
        "expected": {
            "ids": sorted(pairs[(category, size)]),
            "count": len(pairs[(category, size)]),
            "title": title,
        },
    }


def won_deal_value(world: World, rng: random.Random) -> Truth:
    """The total value of the deals in a stage."""
    stage = rng.choice(["Won", "Lost", "In Progress"])
    deals: Mapping[str, Deal] = world.index("attio.deals")
    total = float(sum(d.value for d in deals.values() if d.stage == stage))
    return {"inputs": {"stage": stage}, "expected": {"total": round(total, 2)}}
