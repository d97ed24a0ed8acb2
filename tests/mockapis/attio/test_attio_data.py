"""The seeded workspace: determinism, sizes, and the properties tasks rely on."""

from __future__ import annotations

import pickle
import random
import re
from collections import Counter

import pytest

from mockapis.attio import SERVICE, catalog, naming
from mockapis.attio.schema import CATEGORIES, OBJECTS
from mockapis.attio.seeded import ascii_letters as _ascii
from mockapis.attio.values import LOCATION_FIELDS, WriteContext, parse_input
from mockapis.clock import format_rfc3339_ns
from mockapis.world import World


def _seeded(seed, sizes=None):
    world = World(seed)
    creds = SERVICE.seed(world, sizes or dict(SERVICE.default_sizes))
    return world, creds


def test_same_seed_same_world_different_seed_different_world():
    (a, ca), (b, cb), (c, cc) = _seeded(3), _seeded(3), _seeded(4)
    assert a.state_hash() == b.state_hash() and ca == cb
    assert a.state_hash() != c.state_hash() and ca != cc
    assert ca["type"] == "bearer" and len(ca["token"]) == 64


def test_sizes():
    world, _ = _seeded(11)
    assert len(world.table("attio.people")) == 400
    assert len(world.table("attio.companies")) == 205  # 200 + 5 duplicates
    assert len(world.table("attio.deals")) == 60
    assert len(world.table("attio.notes")) == 40
    assert len(world.table("attio.members")) == 5
    small, _ = _seeded(11, {"people": 10, "companies": 4, "deals": 2, "notes": 1})
    assert len(small.table("attio.people")) == 10
    assert len(small.table("attio.companies")) == 4
    empty, _ = _seeded(11, {"people": 0, "companies": 0, "deals": 0, "notes": 0})
    assert len(empty.table("attio.people")) == 0
    with pytest.raises(ValueError, match="people"):
        _seeded(1, {"persons": 3})


@pytest.mark.parametrize("seed", [0, 5, 23])
def test_seeded_properties(seed):
    world, _ = _seeded(seed)
    people = list(world.table("attio.people").values())
    companies = list(world.table("attio.companies").values())
    deals = list(world.table("attio.deals").values())
    for obj, rows in (("people", people), ("companies", companies), ("deals", deals)):
        stamps = [r["created_at"] for r in rows]
        assert len(set(stamps)) == len(stamps)
        assert max(stamps) < world.clock.isoformat()
        assert all(set(r["values"]) == set(OBJECTS[obj].attributes) for r in rows)
    no_email = sum(not p["values"]["email_addresses"] for p in people)
    assert 0.08 <= no_email / len(people) <= 0.25
    linked = sum(bool(p["values"]["company"]) for p in people)
    assert linked / len(people) > 0.7
    company_ids = {c["id"]["record_id"] for c in companies}
    assert all(
        p["values"]["company"][0]["target_record_id"] in company_ids
        for p in people
        if p["values"]["company"]
    )
    domains = Counter(d["domain"] for c in companies for d in c["values"]["domains"])
    assert sorted(n for n in domains.values() if n > 1) == [2] * 5
    for domain in (d for d, n in domains.items() if n > 1):
        pair = sorted(
            (c for c in companies if c["values"]["domains"][0]["domain"] == domain),
            key=lambda c: c["created_at"],
        )
        assert pair[0]["values"]["employee_range"] and not pair[1]["values"]["employee_range"]
    names = [c["values"]["name"][0]["value"] for c in companies]
    assert len(set(names)) == len(names)
    full = [c for c in companies if c["values"]["employee_range"]]
    assert len(full) >= 200
    assert all(
        c["values"]["categories"]
        and c["values"]["estimated_arr_usd"]
        and c["values"]["primary_location"]
        for c in full
    )
    assert sum(bool(c["values"]["foundation_date"]) for c in companies) > 150
    titles = Counter(
        p["values"]["job_title"][0]["value"] for p in people if p["values"]["job_title"]
    )
    assert len(titles) > 20
    for person in people:
        name = person["values"]["name"][0]
        assert name["full_name"] == f"{name['first_name']} {name['last_name']}"
    stages = Counter(d["values"]["stage"][0]["status"]["title"] for d in deals)
    assert set(stages) <= {"Lead", "In Progress", "Won", "Lost"} and len(stages) >= 3
    assert all(d["values"]["value"] and d["values"]["associated_company"] for d in deals)
    entries = list(world.table("attio.entries").values())
    assert {e["parent_object"] for e in entries} == {"companies", "people"}
    notes = list(world.table("attio.notes").values())
    assert {n["parent_object"] for n in notes} >= {"companies", "people"}
    created = {r["id"]["record_id"]: r["created_at"] for r in people + companies + deals}
    for child in entries + notes:
        assert created[child["parent_record_id"]] < child["created_at"]
    for deal in deals:
        company = deal["values"]["associated_company"][0]["target_record_id"]
        assert created[company] < deal["created_at"]


def _text(record, slug):
    values = record["values"][slug]
    return values[0]["value"] if values else None


@pytest.mark.parametrize("seed", [2, 91, 2**31 - 5])
def test_indexes_agree_with_the_records(seed):
    world, _ = _seeded(seed)
    companies = world.table("attio.companies")
    for key, entry in world.index("attio.companies").items():
        company = companies[key]
        assert entry.name == _text(company, "name")
        assert entry.domain == company["values"]["domains"][0]["domain"]
        assert company["created_at"] == format_rfc3339_ns(entry.created_ns)
        ranges = [v["option"]["title"] for v in company["values"]["employee_range"]]
        assert [entry.employee_range] == ranges or (entry.employee_range is None and not ranges)
        assert list(entry.categories) == [
            v["option"]["title"] for v in company["values"]["categories"]
        ]
        assert entry.foundation_date == _text(company, "foundation_date")
    people = world.table("attio.people")
    for key, entry in world.index("attio.people").items():
        person = people[key]
        name = person["values"]["name"][0]
        assert (entry.first_name, entry.last_name) == (name["first_name"], name["last_name"])
        assert list(entry.emails) == [
            v["email_address"] for v in person["values"]["email_addresses"]
        ]
        assert entry.job_title == _text(person, "job_title")
        refs = person["values"]["company"]
        assert entry.company_id == (refs[0]["target_record_id"] if refs else None)
        assert person["created_at"] == format_rfc3339_ns(entry.created_ns)
    deals = world.table("attio.deals")
    for key, entry in world.index("attio.deals").items():
        deal = deals[key]
        assert entry.stage == deal["values"]["stage"][0]["status"]["title"]
        assert entry.value == deal["values"]["value"][0]["currency_value"]
        assert entry.company_id == deal["values"]["associated_company"][0]["target_record_id"]


def _as_input(value):
    """A seeded value back as the write input the API accepts for it."""
    kind = value["attribute_type"]
    if kind in ("select", "status"):
        return value[kind if kind == "status" else "option"]["title"]
    if kind == "record-reference":
        return value["target_record_id"]
    if kind == "actor-reference":
        return {"referenced_actor_type": "workspace-member",
                "referenced_actor_id": value["referenced_actor_id"]}  # fmt: skip
    if kind == "currency":
        return value["currency_value"]
    if kind == "domain":
        return value["domain"]
    if kind == "email-address":
        return value["original_email_address"]
    if kind == "phone-number":
        return value["original_phone_number"]
    if kind == "personal-name":
        return {"first_name": value["first_name"], "last_name": value["last_name"]}
    if kind == "location":
        return {k: value[k] for k in LOCATION_FIELDS}
    return value["value"]


@pytest.mark.parametrize("seed", [4, 77])
def test_seeded_values_are_what_the_write_path_makes(seed):
    """Seeded records skip parse_input's checks for speed; the values must still be exactly
    what the API makes of the same input (its write path is the reference)."""
    world, _ = _seeded(seed)
    for slug in ("companies", "people", "deals"):
        obj = OBJECTS[slug]
        for record in world.table(f"attio.{slug}").values():
            for attr_slug, values in record["values"].items():
                attribute = obj.attributes[attr_slug]
                if not values or attribute.system:
                    continue
                first = values[0]
                ctx = WriteContext(world, first["created_by_actor"], first["active_from"])
                raw = [_as_input(v) for v in values]
                assert parse_input(attribute, raw if attribute.multi else raw[0], ctx) == values


SIZES = [
    None,
    {"companies": 1200, "people": 300},
    {"people": 30, "companies": 4, "deals": 2, "notes": 1},
    {"people": 6, "companies": 0, "deals": 0, "notes": 0},
]


def _indexes(seed, sizes=None):
    """The companies' and people's indexes of a fresh world (nothing computed yet)."""
    world, _ = _seeded(seed, sizes)
    return world.index("attio.companies"), world.index("attio.people")


@pytest.mark.parametrize("sizes", SIZES)
@pytest.mark.parametrize("seed", [3, 2**31 - 17])
def test_one_entry_is_the_full_pass_entry(seed, sizes):
    """What a truth reads of one company or person, computed alone (only the columns and
    addresses it needs), is what iterating the index builds."""
    companies, people = _indexes(seed, sizes)
    full_companies, full_people = _indexes(seed, sizes)
    assert list(full_companies.values()) == full_companies.entries
    for i in reversed(range(len(companies))):
        assert companies.entry(i) == full_companies.entries[i]
    order = list(range(people.n))
    random.Random(seed).shuffle(order)
    for i in order:
        assert people.entry(i) == full_people.entries[i]
    # And alone again, on indexes that computed nothing else.
    for i in order[:10]:
        alone = _indexes(seed, sizes)[1]
        assert alone.emails(i) == full_people.entries[i].emails
        assert alone.full_name(i) == f"{full_people.entries[i].first_name} {alone.last_name(i)}"


@pytest.mark.parametrize("sizes", SIZES)
def test_index_facts_agree_with_the_entries(sizes):
    companies, people = _indexes(8, sizes)
    firms, persons = list(companies.values()), list(people.values())
    segments = Counter((c, f.employee_range) for f in firms for c in f.categories)
    assert companies.segment_sizes() == dict(segments)
    for (category, size), count in segments.items():
        found = companies.in_segment(category, size)
        assert len(found) == count
        assert all(
            category in firms[i].categories and firms[i].employee_range == size for i in found
        )
    assert companies.category_sizes() == dict(Counter(c for f in firms for c in f.categories))
    years = Counter(int(f.foundation_date[:4]) for f in firms if f.foundation_date)
    assert companies.founded_per_year() == dict(years)
    for year in (1970, 1995, 2022):
        assert companies.founded_before(year) == [
            i for i, f in enumerate(firms) if f.foundation_date and f.foundation_date < f"{year}"
        ]
    owners = Counter(f.domain for f in firms)
    assert companies.unique_domains() == [
        i for i in range(companies.n) if owners[firms[i].domain] == 1
    ]
    for i in range(companies.n):
        assert {firms[j].domain for j in companies.twins(i)} == {firms[i].domain}
        assert len(companies.twins(i)) == owners[firms[i].domain]
        assert people.addresses_at(i) == {
            e for p in persons for e in p.emails if e.endswith(f"@{firms[i].domain}")
        }
    names = Counter((p.first_name, p.last_name) for p in persons)
    assert people.full_name_counts() == [names[(p.first_name, p.last_name)] for p in persons]
    by_category = people.with_email_by_category()
    for category in CATEGORIES:
        assert by_category.get(category, []) == [
            i
            for i, p in enumerate(persons)
            if p.emails and p.company_id and category in companies[p.company_id].categories
        ]
    assert [people.has_email[i] for i in range(people.n)] == [bool(p.emails) for p in persons]
    assert [bool(people.titled[i]) for i in range(people.n)] == [
        p.job_title is not None for p in persons
    ]


@pytest.mark.parametrize("seed", [1, 99])
def test_columns_read_one_row_as_row_draws_map_the_column(seed):
    """The mappings the indexes apply to one row's words are RowDraws' own for the column."""
    companies, people = _indexes(seed)
    assert [people._first_id(i) for i in range(people.n)] == people.draws.weighted(
        2, range(len(catalog.FIRST_NAMES)), catalog.FIRST_WEIGHTS
    )
    assert [people._last_id(i) for i in range(people.n)] == people.draws.weighted(
        3, range(len(catalog.LAST_NAMES)), catalog.LAST_WEIGHTS
    )
    assert [people.record_id(i) for i in range(people.n)] == people.draws.uuids(0)
    assert [companies.record_id(i) for i in range(companies.n)] == companies.draws.uuids(0)
    picks = companies.draws.samples(14, CATEGORIES, 3)
    counts = companies.draws.ints(13, 1, 3)
    assert companies.categories == [tuple(p[:k]) for p, k in zip(picks, counts, strict=True)]


def test_company_domains_never_are_free_mail_domains():
    """A company address and a personal one never share a domain (so people's addresses are
    resolved per domain): no company name stem is a free mail domain's, whatever is drawn."""
    surnames = {_ascii(n) for n in catalog.LAST_NAMES}
    coined = {_ascii(s) + _ascii(t) for s in catalog.COMPANY_STEMS for t in catalog.COMPANY_TAILS}
    for mail in catalog.FREE_MAIL:
        stem, suffix = mail.split(".")
        assert suffix in {"com", "me"} and stem not in surnames | coined
        assert not any(stem[:k] in surnames and stem[k:] in surnames for k in range(len(stem)))


@pytest.mark.parametrize("seed", [12, 600])
def test_domains_come_from_names(seed):
    world, _ = _seeded(seed, {"companies": 1200, "people": 0})
    legal = re.compile(r" (Group|Partners|Inc|LLC)$")
    for company in world.table("attio.companies").values():
        if not company["values"]["employee_range"]:
            continue  # a duplicate: its original's domain under a variant name
        name = _text(company, "name")
        domain = company["values"]["domains"][0]["domain"]
        stem, suffix = domain.split(".")
        assert stem.rstrip("0123456789") == _ascii(legal.sub("", name)), (name, domain)
        assert suffix in {"com", "io", "co", "ai", "net", "org", "dev"}


def test_an_index_pickles_as_its_arguments():
    companies, people = _indexes(5)
    people.emails(3)
    clone = pickle.loads(pickle.dumps(people))
    assert len(pickle.dumps(people)) < 2000
    assert list(clone.values()) == list(people.values())
    assert list(clone.companies.values()) == list(companies.values())


def test_name_codes_name_distinct_names():
    """Company names are compared as codes (mockapis/attio/naming.py): that is exact only if
    every coined name is its own string, surnames are distinct words of letters, and no tail
    of a coined name is a legal suffix (so no name of one form spells one of another)."""
    coined = [
        f"{s}{sp}{t}"
        for s in catalog.COMPANY_STEMS
        for sp in ("", " ")
        for t in catalog.COMPANY_TAILS
    ]
    assert len(set(coined)) == len(coined)
    assert all(part.isalpha() for part in (*catalog.COMPANY_STEMS, *catalog.COMPANY_TAILS))
    assert len(set(catalog.LAST_NAMES)) == len(catalog.LAST_NAMES)
    assert all(name.isalpha() for name in catalog.LAST_NAMES)
    assert not {kind.strip() for kind in naming.KINDS} & set(catalog.COMPANY_TAILS)
    # And the codes the columns draw name what the names read.
    companies, _ = _indexes(4, {"companies": 1200, "people": 0})
    names = companies.names
    codes = companies._naming.codes
    assert [naming._name_of(code) for code in codes] == names
    assert len(set(codes)) == len(set(names)) == len(names)


@pytest.mark.parametrize("seed", [6, 2**31 - 2])
def test_one_domain_is_the_full_pass_domain(seed):
    """A company's domain read alone (its stem, or its place among those sharing its stem) is
    what the whole column holds."""
    alone, _ = _indexes(seed, {"companies": 600, "people": 0})
    full, _ = _indexes(seed, {"companies": 600, "people": 0})
    assert [alone.domain(i) for i in range(len(alone))] == [
        full.domains[i if i < full.n else full.copied[i - full.n]] for i in range(len(full))
    ]
    assert "domains" not in alone.__dict__
    assert alone._naming.shared  # some stems are shared at this size


def test_stem_numbers_are_equal_when_the_stems_are():
    """Domain stems are compared as numbers (naming._stems): two surnames joined share a
    number with every other pair, or single stem, spelling the same (checked on a sample of
    pairs, every pair spelling an aliased string, and every single stem)."""
    stems = naming._stems()
    last = [_ascii(n) for n in catalog.LAST_NAMES]
    rng = random.Random(2)
    size = len(last)
    keys = {rng.randrange(size * size) for _ in range(100_000)} | set(stems.aliases)
    number_of: dict[str, int] = {}
    spelled: dict[int, str] = {}
    singles = [
        *zip(last, stems.by_last.tolist(), strict=True),
        *(
            (_ascii(s) + _ascii(t), n)
            for (s, t), n in zip(
                [
                    (s, t)
                    for s in catalog.COMPANY_STEMS
                    for _ in (0, 1)
                    for t in catalog.COMPANY_TAILS
                ],
                stems.by_coined.tolist(),
                strict=True,
            )
        ),
    ]
    pairs = [
        (last[k // size] + last[k % size], stems.aliases.get(k, naming._PAIR_NUMBERS + k))
        for k in keys
    ]
    for text, number in [*singles, *pairs]:
        assert number_of.setdefault(text, number) == number, text
        assert spelled.setdefault(number, text) == text, number
