"""Objects, search, batch and associations: shapes, paging, limits and bad input."""

from __future__ import annotations

from typing import Any

from tests.mockapis.hubspot.conftest import HubSpotClient

CONTACTS = "/crm/v3/objects/contacts"


def _search(client: HubSpotClient, obj: str, **body: Any) -> Any:
    reply = client.post(f"/crm/v3/objects/{obj}/search", body)
    assert reply.status == 200, reply.raw
    return reply.json


def test_list_pages_through_every_contact_with_after(client: HubSpotClient) -> None:
    ids: list[str] = []
    path = CONTACTS + "?limit=100"
    while True:
        reply = client.get(path)
        assert reply.status == 200
        ids += [r["id"] for r in reply.json["results"]]
        nxt = reply.json.get("paging", {}).get("next")
        if not nxt:
            break
        assert nxt["link"].endswith(f"after={nxt['after']}")
        path = f"{CONTACTS}?limit=100&after={nxt['after']}"
    assert len(ids) == len(set(ids)) == 200
    assert ids == sorted(ids, key=int)


def test_record_shape_and_property_selection(client: HubSpotClient) -> None:
    record = client.get(CONTACTS + "?limit=1").json["results"][0]
    assert set(record) == {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert record["properties"]["hs_object_id"] == record["id"]
    assert set(record["properties"]) == {
        "createdate",
        "email",
        "firstname",
        "hs_object_id",
        "lastmodifieddate",
        "lastname",
    }
    chosen = client.get(f"{CONTACTS}/{record['id']}?properties=jobtitle,phone,hs_lead_status")
    assert set(chosen.json["properties"]) == {"jobtitle", "phone", "hs_lead_status"}
    assert chosen.json["properties"]["hs_lead_status"] is None


def test_limit_over_100_is_refused(client: HubSpotClient) -> None:
    reply = client.get(CONTACTS + "?limit=101")
    assert reply.status == 400
    assert reply.json["category"] == "VALIDATION_ERROR" and "100" in reply.json["message"]
    assert client.get(CONTACTS + "?after=abc").status == 400


def test_create_update_archive(fresh: HubSpotClient) -> None:
    created = fresh.post(CONTACTS, {"properties": {"email": "New@Example.com", "firstname": "A"}})
    assert created.status == 201
    cid = created.json["id"]
    assert created.json["properties"]["email"] == "New@Example.com"
    patched = fresh.request("PATCH", f"{CONTACTS}/{cid}", {"properties": {"lastname": "B"}})
    assert patched.status == 200 and patched.json["properties"]["firstname"] == "A"
    assert fresh.get(f"{CONTACTS}/new@example.com?idProperty=email").json["id"] == cid
    assert fresh.request("DELETE", f"{CONTACTS}/{cid}").status == 204
    gone = fresh.get(f"{CONTACTS}/{cid}")
    assert gone.status == 404 and gone.json["category"] == "OBJECT_NOT_FOUND"
    assert fresh.get(f"{CONTACTS}/{cid}?archived=true").json["archived"] is True
    # The email is free again once archived.
    assert fresh.post(CONTACTS, {"properties": {"email": "new@example.com"}}).status == 201


def test_duplicate_email_is_a_conflict_naming_the_existing_id(fresh: HubSpotClient) -> None:
    existing = fresh.get(CONTACTS + "?limit=1").json["results"][0]
    email = existing["properties"]["email"].upper()
    reply = fresh.post(CONTACTS, {"properties": {"email": email}})
    assert reply.status == 409
    assert reply.json["message"] == f"Contact already exists. Existing ID: {existing['id']}"
    assert reply.json["category"] == "CONFLICT" and reply.json["status"] == "error"
    assert "correlationId" in reply.json


def test_invalid_properties_are_listed(fresh: HubSpotClient) -> None:
    before = fresh.world.state_hash()
    reply = fresh.post(CONTACTS, {"properties": {"nope": "x", "lifecyclestage": "boss"}})
    assert reply.status == 400
    assert "PROPERTY_DOESNT_EXIST" in reply.json["message"]
    assert "INVALID_OPTION" in reply.json["message"]
    assert fresh.post(CONTACTS, {"properties": {"hs_object_id": "1"}}).status == 400
    assert fresh.post(CONTACTS, raw=b"{not json").status == 400
    assert fresh.post(CONTACTS, [1, 2]).status == 400
    for body in ({"nope": 1}, {}, {"properties": None}):  # HubSpot requires properties
        missing = fresh.post(CONTACTS, body)
        assert missing.status == 400 and "[properties]" in missing.json["message"], body
    assert fresh.post(CONTACTS + "/batch/create", {"inputs": [{"nope": 1}]}).status == 400
    first = next(iter(fresh.world.table("hubspot.contacts")))
    assert fresh.request("PATCH", f"{CONTACTS}/{first}", {"nope": 1}).status == 400
    update = {"inputs": [{"id": first}]}
    assert fresh.post(CONTACTS + "/batch/update", update).status == 400
    assert fresh.world.state_hash() != before  # the clock ticked...
    assert len(fresh.world.table("hubspot.contacts")) == 200  # ...but nothing was written


def test_search_operators(client: HubSpotClient) -> None:
    rows = client.world.table("hubspot.contacts").values()
    customers = sorted(
        (r["id"] for r in rows if r["properties"].get("lifecyclestage") == "customer"), key=int
    )
    eq = {"propertyName": "lifecyclestage", "operator": "EQ", "value": "CUSTOMER"}
    found = _search(client, "contacts", filterGroups=[{"filters": [eq]}], limit=200)
    assert found["total"] == len(customers)
    assert [r["id"] for r in found["results"]] == customers
    neq = {**eq, "operator": "NEQ"}
    assert _search(client, "contacts", filterGroups=[{"filters": [neq]}])["total"] == 200 - len(
        customers
    )
    has = {"propertyName": "company", "operator": "NOT_HAS_PROPERTY"}
    without = [r for r in rows if not r["properties"].get("company")]
    assert _search(client, "contacts", filterGroups=[{"filters": [has]}])["total"] == len(without)
    domain = next(iter(client.world.table("hubspot.companies").values()))["properties"]["domain"]
    token = {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": f"*@{domain}"}
    at_domain = [r for r in rows if r["properties"]["email"].endswith("@" + domain)]
    assert _search(client, "contacts", filterGroups=[{"filters": [token]}])["total"] == len(
        at_domain
    )
    within = {"propertyName": "lifecyclestage", "operator": "IN", "values": ["customer", "lead"]}
    leads = [r for r in rows if r["properties"].get("lifecyclestage") in ("customer", "lead")]
    assert _search(client, "contacts", filterGroups=[{"filters": [within]}])["total"] == len(leads)


def test_search_numbers_dates_sorts_and_or_groups(client: HubSpotClient) -> None:
    companies = list(client.world.table("hubspot.companies").values())
    big = [c for c in companies if int(c["properties"]["numberofemployees"]) >= 400]
    gte = {"propertyName": "numberofemployees", "operator": "GTE", "value": "400"}
    found = _search(
        client,
        "companies",
        filterGroups=[{"filters": [gte]}],
        limit=100,
        sorts=[{"propertyName": "numberofemployees", "direction": "DESCENDING"}],
        properties=["numberofemployees"],
    )
    assert found["total"] == len(big)
    sizes = [int(r["properties"]["numberofemployees"]) for r in found["results"]]
    assert sizes == sorted(sizes, reverse=True)
    stamps = sorted(c["createdAt"] for c in companies)
    cutoff = stamps[10]
    lt = {"propertyName": "createdate", "operator": "LT", "value": cutoff}
    assert _search(client, "companies", filterGroups=[{"filters": [lt]}])["total"] == 10
    small = {"propertyName": "numberofemployees", "operator": "LT", "value": "10"}
    either = _search(client, "companies", filterGroups=[{"filters": [gte]}, {"filters": [small]}])
    assert either["total"] == len(big) + sum(
        int(c["properties"]["numberofemployees"]) < 10 for c in companies
    )


def test_search_paging_and_limits(client: HubSpotClient) -> None:
    first = _search(client, "contacts", limit=150)
    assert first["total"] == 200 and first["paging"]["next"]["after"] == "150"
    rest = _search(client, "contacts", limit=150, after="150")
    assert "paging" not in rest and len(rest["results"]) == 50
    assert client.post(CONTACTS + "/search", {"limit": 201}).status == 400
    assert client.post(CONTACTS + "/search", {"limit": 200, "after": "9900"}).status == 400
    bad_op = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE"}]}]}
    assert client.post(CONTACTS + "/search", bad_op).status == 400
    six = [{"filters": []}] * 6
    assert client.post(CONTACTS + "/search", {"filterGroups": six}).status == 400


def test_batch_create_limit_and_all_or_nothing(fresh: HubSpotClient) -> None:
    too_many = [{"properties": {"email": f"b{i}@x.io"}} for i in range(101)]
    reply = fresh.post(CONTACTS + "/batch/create", {"inputs": too_many})
    assert reply.status == 400 and "limit" in reply.json["message"]
    assert "101" in reply.json["message"]
    existing = fresh.get(CONTACTS + "?limit=1").json["results"][0]
    mixed = [*too_many[:3], {"properties": {"email": existing["properties"]["email"]}}]
    conflict = fresh.post(CONTACTS + "/batch/create", {"inputs": mixed})
    assert conflict.status == 409 and existing["id"] in conflict.json["message"]
    assert len(fresh.world.table("hubspot.contacts")) == 200
    ok = fresh.post(CONTACTS + "/batch/create", {"inputs": too_many[:100]})
    assert ok.status == 201 and ok.json["status"] == "COMPLETE"
    assert len(ok.json["results"]) == 100 and "startedAt" in ok.json


def test_batch_read_and_update_report_missing_ids_with_207(fresh: HubSpotClient) -> None:
    ids = [r["id"] for r in fresh.get(CONTACTS + "?limit=3").json["results"]]
    read = fresh.post(
        CONTACTS + "/batch/read",
        {"inputs": [{"id": i} for i in [*ids, "999"]], "properties": ["email"]},
    )
    assert read.status == 207
    assert read.json["numErrors"] == 1
    assert read.json["errors"][0]["context"]["ids"] == ["999"]
    assert read.json["errors"][0]["errors"] == [] and read.json["errors"][0]["links"] == {}
    assert sorted(r["id"] for r in read.json["results"]) == sorted(ids)
    all_found = fresh.post(CONTACTS + "/batch/read", {"inputs": [{"id": i} for i in ids]})
    assert all_found.status == 200 and "errors" not in all_found.json
    update = fresh.post(
        CONTACTS + "/batch/update",
        {
            "inputs": [
                {"id": ids[0], "properties": {"jobtitle": "CTO"}},
                {"id": "424242", "properties": {"jobtitle": "CTO"}},
            ]
        },
    )
    assert update.status == 207 and update.json["numErrors"] == 1
    assert fresh.world.table("hubspot.contacts")[ids[0]]["properties"]["jobtitle"] == "CTO"
    archive = fresh.post(CONTACTS + "/batch/archive", {"inputs": [{"id": ids[1]}, {"id": "7"}]})
    assert archive.status == 204
    assert fresh.get(f"{CONTACTS}/{ids[1]}").status == 404


def test_associations_v4_and_v3(fresh: HubSpotClient) -> None:
    contact = fresh.post(CONTACTS, {"properties": {"email": "assoc@x.io"}}).json["id"]
    company = fresh.get("/crm/v3/objects/companies?limit=1").json["results"][0]["id"]
    put = fresh.request(
        "PUT", f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}"
    )
    assert put.status == 200
    assert put.json["results"] == [
        {
            "from": {"id": contact},
            "to": {"id": company},
            "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279},
        }
    ]
    listed = fresh.get(f"/crm/v4/objects/contacts/{contact}/associations/companies").json
    assert listed["results"][0]["toObjectId"] == company  # a string, as HubSpot documents
    assert listed["results"][0]["associationTypes"] == [
        {"category": "HUBSPOT_DEFINED", "typeId": 279}  # unlabeled: no label, not a null one
    ]
    back = fresh.get(f"/crm/v3/objects/companies/{company}/associations/contacts").json
    assert {"id": contact, "type": "company_to_contact"} in back["results"]
    shown = fresh.get(f"{CONTACTS}/{contact}?associations=companies").json
    assert shown["associations"]["companies"]["results"][0]["id"] == company
    missing = fresh.request(
        "PUT", f"/crm/v4/objects/contacts/{contact}/associations/default/companies/1"
    )
    assert missing.status == 404
    batch = fresh.post(
        "/crm/v4/associations/deals/contacts/batch/associate/default",
        {
            "inputs": [
                {
                    "from": {
                        "id": fresh.get("/crm/v3/objects/deals?limit=1").json["results"][0]["id"]
                    },
                    "to": {"id": contact},
                }
            ]
        },
    )
    assert batch.status == 200, batch.raw
    read = "/crm/v4/associations/contacts/companies/batch/read"
    assert fresh.post(read, {"inputs": [{"objectId": contact}]}).status == 400  # id required
    found = fresh.post(read, {"inputs": [{"id": contact}, {"id": "1"}]})
    assert found.status == 207 and found.json["errors"][0]["context"] == {"ids": ["1"]}
    assert found.json["results"] == [{"from": {"id": contact}, "to": [listed["results"][0]]}]
    assert batch.json["results"][0]["to"] == {"id": contact}
    assert batch.json["results"][0]["associationSpec"]["associationTypeId"] == 3
    labeled = fresh.request(
        "PUT",
        f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}",
        [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}],
    )
    assert labeled.status == 201
    assert labeled.json == {
        "fromObjectTypeId": "0-1",
        "fromObjectId": contact,
        "toObjectTypeId": "0-2",
        "toObjectId": company,
        "labels": ["Primary"],
    }


def test_create_with_associations(fresh: HubSpotClient) -> None:
    company = fresh.get("/crm/v3/objects/companies?limit=1").json["results"][0]["id"]
    spec = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}
    created = fresh.post(
        CONTACTS,
        {
            "properties": {"email": "c@x.io"},
            "associations": [{"to": {"id": company}, "types": [spec]}],
        },
    )
    assert created.status == 201
    links = fresh.get(f"/crm/v4/objects/contacts/{created.json['id']}/associations/companies")
    assert links.json["results"][0]["associationTypes"][0]["label"] == "Primary"
    wrong = {**spec, "associationTypeId": 3}
    bad = fresh.post(
        CONTACTS,
        {
            "properties": {"email": "d@x.io"},
            "associations": [{"to": {"id": company}, "types": [wrong]}],
        },
    )
    assert bad.status == 400
    assert fresh.get(f"{CONTACTS}/d@x.io?idProperty=email").status == 404  # rolled back
