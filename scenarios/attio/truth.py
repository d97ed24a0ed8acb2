"""Ground truth of the Attio scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

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


def rows(world: World, table: str) -> list[Record]:
    """A table's records in id order (a stable order for choosing with the RNG)."""
    found = world.table(table)
    return [found[k] for k in sorted(found)]


def record_by_id(world: World, rng: random.Random) -> Truth:
    """A random person with a job title and email, by id."""
    people = [p for p in rows(world, "attio.people") if text(p, "job_title") and emails(p)]
    person = rng.choice(people)
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
    ids = [p["id"]["record_id"] for p in rows(world, "attio.people") if not emails(p)]
    return {"inputs": {}, "expected": {"ids": sorted(ids)}}


def oldest_people(world: World, rng: random.Random) -> Truth:
    """The N earliest-created people, oldest first."""
    n = rng.randint(5, 15)
    people = sorted(rows(world, "attio.people"), key=lambda p: p["created_at"])
    return {
        "inputs": {"n": n},
        "expected": {"ids": [p["id"]["record_id"] for p in people[:n]]},
    }


def companies_founded_before(world: World, rng: random.Random) -> Truth:
    """Companies founded before a year chosen so that the matches span several pages."""
    companies = rows(world, "attio.companies")
    years = sorted(
        int(text(c, "foundation_date")[:4]) for c in companies if text(c, "foundation_date")
    )
    # A cut between the 55th and 75th percentile: more matches than one page of 500 holds.
    year = years[int(len(years) * rng.uniform(0.55, 0.75))]
    ids = [
        c["id"]["record_id"]
        for c in companies
        if text(c, "foundation_date") and int(text(c, "foundation_date")[:4]) < year
    ]
    return {"inputs": {"year": year}, "expected": {"ids": sorted(ids), "count": len(ids)}}


def create_people(world: World, rng: random.Random) -> Truth:
    """Three new people to create, each linked to an existing company by its domain."""
    owners: dict[str, int] = defaultdict(int)
    for company in rows(world, "attio.companies"):
        for domain in set(domains(company)):
            owners[domain] += 1
    # Only domains that name one company: a shared domain would make the link ambiguous.
    companies = [
        c for c in rows(world, "attio.companies") if domains(c) and owners[domains(c)[0]] == 1
    ]
    taken = {e for p in rows(world, "attio.people") for e in emails(p)}
    first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Tim", "Frances"]
    last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Lee"]
    titles = ["Head of Data", "Staff Engineer", "VP Sales", "Chief of Staff", "Buyer"]
    people = []
    for company in rng.sample(companies, 3):
        given, family = rng.choice(first), rng.choice(last)
        domain = domains(company)[0]
        email = f"{given.lower()}.{family.lower()}{rng.randint(10, 99)}@{domain}"
        while email in taken:
            email = f"{given.lower()}.{family.lower()}{rng.randint(100, 999)}@{domain}"
        taken.add(email)
        people.append(
            {
                "first_name": given,
                "last_name": family,
                "email": email,
                "job_title": rng.choice(titles),
                "company_domain": domain,
                "company_id": company["id"]["record_id"],
            }
        )
    listing = "\n".join(
        f"- {p['first_name']} {p['last_name']}, {p['job_title']}, {p['email']}, "
        f"works at the company with domain {p['company_domain']}"
        for p in people
    )
    return {"inputs": {"people": people, "listing": listing}, "expected": {"people": people}}


def update_person(world: World, rng: random.Random) -> Truth:
    """A person with at least one email gets another email and a new job title."""
    people = [p for p in rows(world, "attio.people") if emails(p) and text(p, "job_title")]
    person = rng.choice(people)
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
    groups: dict[str, list[Record]] = defaultdict(list)
    for company in rows(world, "attio.companies"):
        for domain in set(domains(company)):
            groups[domain].append(company)
    survivors: dict[str, str] = {}
    removed: dict[str, str] = {}
    for domain, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        members.sort(key=lambda c: c["created_at"])
        survivors[domain] = members[0]["id"]["record_id"]
        for dup in members[1:]:
            removed[dup["id"]["record_id"]] = members[0]["id"]["record_id"]
    moved = {
        p["id"]["record_id"]: removed[company_of(p)]
        for p in rows(world, "attio.people")
        if company_of(p) in removed
    }
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
    companies = rows(world, "attio.companies")
    pairs = defaultdict(list)
    for c in companies:
        for category in option_titles(c, "categories"):
            for size in option_titles(c, "employee_range"):
                pairs[(category, size)].append(c["id"]["record_id"])
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
    total = 0.0
    for deal in rows(world, "attio.deals"):
        stages = [v["status"]["title"] for v in deal["values"]["stage"]]
        if stages and stages[0] == stage:
            total += sum(v["currency_value"] for v in deal["values"]["value"])
    return {"inputs": {"stage": stage}, "expected": {"total": round(total, 2)}}
