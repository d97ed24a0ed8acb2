"""The seeded account: its indexes agree with its records, the write path makes the same
records, and new ids follow the seeded ones."""

from __future__ import annotations

from collections import Counter

import pytest

from mockapis.hubspot import SERVICE
from mockapis.hubspot.records import FIRST_ID, iso_ms
from mockapis.world import World
from tests.inprocess import seeded_world
from tests.mockapis.hubspot.conftest import HubSpotClient

SEEDS = [0, 13, 2**31 - 11]


def _seeded(seed: int, sizes: dict[str, int] | None = None) -> World:
    return seeded_world(SERVICE, seed, sizes)


def _links(world: World, src: str, dst: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for link in world.table("hubspot.associations").values():
        if (link["fromObjectType"], link["toObjectType"]) == (src, dst):
            found.setdefault(link["fromObjectId"], set()).add(link["toObjectId"])
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_indexes_agree_with_the_records(seed: int) -> None:
    world = _seeded(seed)
    companies = world.table("hubspot.companies")
    assert list(world.index("hubspot.companies")) == list(companies)
    for key, entry in world.index("hubspot.companies").items():
        props = companies[key]["properties"]
        assert (entry.id, entry.name, entry.domain) == (key, props["name"], props["domain"])
    contacts = world.table("hubspot.contacts")
    to_company = _links(world, "contacts", "companies")
    from_company = _links(world, "companies", "contacts")
    emails = world.table("hubspot._emails")
    assert len(emails) == len(contacts)
    for key, entry in world.index("hubspot.contacts").items():
        props = contacts[key]["properties"]
        assert (entry.email, entry.jobtitle) == (props["email"], props["jobtitle"])
        assert (entry.firstname, entry.lastname) == (props["firstname"], props["lastname"])
        assert emails[entry.email.lower()] == {"id": key}
        if entry.company_id is None:
            assert key not in to_company and "company" not in props
        else:
            assert to_company[key] == {entry.company_id}
            assert key in from_company[entry.company_id]
            assert props["company"] == companies[entry.company_id]["properties"]["name"]
    deal_companies = _links(world, "deals", "companies")
    deal_contacts = _links(world, "deals", "contacts")
    for key, entry in world.index("hubspot.deals").items():
        assert deal_companies.get(key) == {entry.company_id}
        assert deal_contacts.get(key) == {entry.contact_id}


@pytest.mark.parametrize("seed", SEEDS)
def test_seeded_properties(seed: int) -> None:
    world = _seeded(seed)
    ids = [
        int(k)
        for name in ("companies", "contacts", "deals")
        for k in world.table(f"hubspot.{name}")
    ]
    assert ids == list(range(FIRST_ID, FIRST_ID + 300))
    companies = list(world.table("hubspot.companies").values())
    domains = Counter(c["properties"]["domain"] for c in companies)
    assert max(domains.values()) == 1
    contacts = list(world.table("hubspot.contacts").values())
    assert len({c["properties"]["email"] for c in contacts}) == len(contacts)
    linked = sum("company" in c["properties"] for c in contacts) / len(contacts)
    assert 0.75 < linked < 0.95
    now = iso_ms(world.clock.now_ns)
    for row in [*companies, *contacts]:
        assert row["createdAt"] < now and not row["archived"]
    for link in world.table("hubspot.associations").values():
        assert link["types"] in ([1], [2], [3], [4], [5], [6])


def test_sizes() -> None:
    small = _seeded(2, {"companies": 3, "contacts": 5, "deals": 0})
    assert [len(small.table(f"hubspot.{n}")) for n in ("companies", "contacts", "deals")] == [
        3,
        5,
        0,
    ]
    alone = _seeded(2, {"companies": 0, "contacts": 4, "deals": 2})
    assert not any("company" in c["properties"] for c in alone.table("hubspot.contacts").values())
    with pytest.raises(ValueError, match="contacts"):
        _seeded(1, {"people": 3})


def test_same_seed_same_account() -> None:
    a, b, c = _seeded(8), _seeded(8), _seeded(9)
    assert a.state_hash() == b.state_hash() != c.state_hash()


@pytest.mark.parametrize("seed", [3, 4])
def test_seeded_records_are_what_the_write_path_makes(seed: int) -> None:
    """A contact and a company created through the API with a seeded record's properties are
    that record, but for the id and the time; new ids follow the seeded ones."""
    client = HubSpotClient(seed)
    total = sum(len(client.world.table(f"hubspot.{n}")) for n in ("companies", "contacts", "deals"))
    for name in ("companies", "contacts"):
        seeded = next(iter(client.world.table(f"hubspot.{name}").values()))
        system = {"createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_object_id"}
        given = {k: v for k, v in seeded["properties"].items() if k not in system}
        if name == "contacts":
            given["email"] = "copy." + given["email"]
        reply = client.post(f"/crm/v3/objects/{name}", {"properties": given})
        assert reply.status == 201, reply.raw
        made = client.world.table(f"hubspot.{name}")[reply.json["id"]]
        assert (
            made.keys() == seeded.keys()
            and made["properties"].keys() == seeded["properties"].keys()
        )
        assert {k: v for k, v in made["properties"].items() if k not in system} == given
        total += 1
        assert made["id"] == str(FIRST_ID + total - 1)
