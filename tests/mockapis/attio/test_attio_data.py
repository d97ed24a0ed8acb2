"""The seeded workspace: determinism, sizes, and the properties tasks rely on."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.attio import SERVICE
from mockapis.attio.schema import OBJECTS
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
