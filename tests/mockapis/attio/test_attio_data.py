"""The seeded workspace: determinism, sizes, and the properties tasks rely on."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.attio import SERVICE
from mockapis.attio.schema import OBJECTS
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
