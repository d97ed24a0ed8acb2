"""Ground truth of the Attio scenarios, derived from the seeded world (never literals).

Each function takes the generated world and a truth RNG and returns ``inputs`` (what the
task tells the agent) and ``expected`` (what the checks compare against, hidden from it).
They read the seeded tables' indexes (:func:`company_index`, :func:`person_index`: columns of
the seeded draws and the entries they pick, computed without rendering a record); expected
values the inputs do not need are computed at grading, from the world at its initial state.
tests/mockapis/attio/test_attio_data.py checks that the indexes agree with the records.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import random
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from mockapis.attio.data import Deal, company_index, person_index
from mockapis.world import World

Truth = dict[str, Any]


def record_by_id(world: World, rng: random.Random) -> Truth:
    """A random person with a job title and email, by id."""
    people = person_index(world)
    i = rng.choice(_titled_with_email(world))
    return {
        "inputs": {"record_id": people.record_id(i)},
        "expected": {
            "full_name": people.full_name(i),
            "job_title": people.job_title(i),
            "email": people.emails(i)[0],
        },
    }


def _titled_with_email(world: World) -> list[int]:
    """The people (rows, in order) with a job title and an email address."""
    people = person_index(world)
    both = map(operator.and_, people.titled, people.has_email)
    return list(itertools.compress(range(people.n), both))


def people_without_email(world: World, rng: random.Random) -> Truth:
    """Every person with no email address (read at grading: the task needs no input)."""
    return {"inputs": {}, "expected": _without_email}


def _without_email(world: World) -> dict[str, Any]:
    people = person_index(world)
    ids = [people.record_id(i) for i, mail in enumerate(people.has_email) if not mail]
    return {"ids": sorted(ids)}


def oldest_people(world: World, rng: random.Random) -> Truth:
    """The N earliest-created people, oldest first (read at grading)."""
    n = rng.randint(5, 15)
    return {"inputs": {"n": n}, "expected": functools.partial(_oldest, n)}


def _oldest(n: int, world: World) -> dict[str, Any]:
    people = person_index(world)
    oldest = sorted(range(people.n), key=people.created.__getitem__)[:n]
    return {"ids": [people.record_id(i) for i in oldest]}


def companies_founded_before(world: World, rng: random.Random) -> Truth:
    """Companies founded before a year chosen so that the matches span several pages: the
    year from the companies' per-year counts, their ids read at grading."""
    per_year = company_index(world).founded_per_year()
    # A cut between the 55th and 75th percentile of the foundation years: more matches than
    # one page of 500 holds.
    years = sorted(per_year)
    below = list(itertools.accumulate(per_year[y] for y in years))  # founded up to each year
    year = years[bisect.bisect(below, int(below[-1] * rng.uniform(0.55, 0.75)))]
    return {"inputs": {"year": year}, "expected": functools.partial(_founded_before, year)}


def _founded_before(year: int, world: World) -> dict[str, Any]:
    companies = company_index(world)
    ids = [companies.record_id(i) for i in companies.founded_before(year)]
    return {"ids": sorted(ids), "count": len(ids)}


def create_people(world: World, rng: random.Random) -> Truth:
    """Three new people to create, each linked to an existing company by its domain."""
    companies, people = company_index(world), person_index(world)
    # Only domains that name one company: a shared domain would make the link ambiguous.
    first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Radia", "Tim", "Frances"]
    last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson", "Perlman", "Lee"]
    titles = ["Head of Data", "Staff Engineer", "VP Sales", "Chief of Staff", "Buyer"]
    made = []
    for i in rng.sample(companies.unique_domains(), 3):
        # An address is someone's only if it is on the same domain: those of this company.
        taken = people.addresses_at(i)
        given, family = rng.choice(first), rng.choice(last)
        domain = companies.domain(i)
        email = f"{given.lower()}.{family.lower()}{rng.randint(10, 99)}@{domain}"
        while email in taken:
            email = f"{given.lower()}.{family.lower()}{rng.randint(100, 999)}@{domain}"
        made.append(
            {
                "first_name": given,
                "last_name": family,
                "email": email,
                "job_title": rng.choice(titles),
                "company_domain": domain,
                "company_id": companies.record_id(i),
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
    people = person_index(world)
    i = rng.choice(_titled_with_email(world))
    name, emails, title = people.full_name(i), people.emails(i), people.job_title(i)
    local = name.lower().replace(" ", ".").replace("'", "")
    new_email = f"{local}.{rng.randint(100, 999)}@personal-mail.example"
    titles = ["Director of Operations", "Principal Engineer", "Head of Partnerships"]
    new_title = rng.choice([t for t in titles if t != title])
    record_id = people.record_id(i)
    return {
        "inputs": {
            "record_id": record_id,
            "name": name,
            "new_email": new_email,
            "new_title": new_title,
        },
        "expected": {
            "record_id": record_id,
            "emails": [*emails, new_email],
            "job_title": new_title,
        },
    }


def duplicate_companies(world: World, rng: random.Random) -> Truth:
    """Companies sharing a domain: the oldest of each group survives and inherits people
    (read at grading: the task needs no input)."""
    return {"inputs": {}, "expected": _duplicates}


def _duplicates(world: World) -> dict[str, Any]:
    companies, people = company_index(world), person_index(world)
    groups = defaultdict(list)
    for company in companies.values():
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
    moved = {p.record_id: removed[p.company_id] for p in people.values() if p.company_id in removed}
    return {
        "survivors": survivors,
        "removed": removed,
        "moved_people": moved,
        "removed_count": len(removed),
    }


def note_per_company(world: World, rng: random.Random) -> Truth:
    """Companies in a category and employee range each get one note: the segment from the
    companies' segment sizes, its companies' ids read at grading."""
    sizes = company_index(world).segment_sizes()
    category, size = rng.choice(sorted(k for k, n in sizes.items() if 3 <= n <= 12))
    title = f"Q{rng.randint(1, 4)} account review"
    return {
        "inputs": {"category": category, "employee_range": size, "title": title},
        "expected": functools.partial(_segment, category, size, title),
    }


def _segment(category: str, size: str, title: str, world: World) -> dict[str, Any]:
    companies = company_index(world)
    ids = sorted(companies.record_id(i) for i in companies.in_segment(category, size))
    return {"ids": ids, "count": len(ids), "title": title}


def won_deal_value(world: World, rng: random.Random) -> Truth:
    """The total value of the deals in a stage (read at grading)."""
    stage = rng.choice(["Won", "Lost", "In Progress"])
    return {"inputs": {"stage": stage}, "expected": functools.partial(_deal_total, stage)}


def _deal_total(stage: str, world: World) -> dict[str, Any]:
    deals: Mapping[str, Deal] = world.index("attio.deals")
    total = float(sum(d.value for d in deals.values() if d.stage == stage))
    return {"total": round(total, 2)}
