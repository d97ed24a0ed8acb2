"""Record writes: create, get, PATCH (append) vs PUT (overwrite), assert, delete, validation."""

from __future__ import annotations

import pytest

PEOPLE = "/v2/objects/people/records"
COMPANIES = "/v2/objects/companies/records"


def _company_id(client, i=0):
    return sorted(client.world.table("attio.companies"))[i]


def _create_person(client, **values):
    values.setdefault("name", {"first_name": "Ada", "last_name": "Lovelace"})
    reply = client.post(PEOPLE, {"data": {"values": values}})
    assert reply.status == 200, reply.raw
    return reply.data


def test_create_returns_and_stores_full_record(client):
    company_id = _company_id(client)
    record = _create_person(
        client,
        email_addresses=["Ada@Example.com"],
        job_title="Analyst",
        company=company_id,
        phone_numbers=["+44 20 7946 0958"],
        primary_location={"locality": "London", "country_code": "GB"},
    )
    record_id = record["id"]["record_id"]
    assert client.world.table("attio.people")[record_id] == record
    values = record["values"]
    assert values["name"][0]["full_name"] == "Ada Lovelace"
    email = values["email_addresses"][0]
    assert email["email_address"] == "ada@example.com"
    assert email["original_email_address"] == "Ada@Example.com"
    assert email["email_domain"] == "example.com" and email["attribute_type"] == "email-address"
    assert values["company"][0] == {
        **values["company"][0],
        "target_object": "companies",
        "target_record_id": company_id,
    }
    assert values["phone_numbers"][0]["phone_number"] == "+442079460958"
    assert values["phone_numbers"][0]["country_code"] == "GB"
    assert values["primary_location"][0]["region"] is None
    assert values["description"] == []
    assert values["created_at"][0]["value"] == record["created_at"]
    assert record["created_at"] == client.world.clock.isoformat()
    assert values["job_title"][0]["created_by_actor"]["type"] == "api-token"
    assert record["web_url"].endswith(f"/person/{record_id}")
    assert client.get(f"{PEOPLE}/{record_id}").data == record


def test_write_shorthands(client):
    member = next(iter(client.world.table("attio.members").values()))
    reply = client.post(
        "/v2/objects/deals/records",
        {
            "data": {
                "values": {
                    "name": [{"value": "Big deal"}],
                    "stage": "won",
                    "value": {"currency_value": 1234.5, "currency_code": "EUR"},
                    "owner": member["email_address"],
                    "associated_company": {
                        "target_object": "companies",
                        "target_record_id": _company_id(client),
                    },
                }
            }
        },
    )
    assert reply.status == 200, reply.raw
    values = reply.data["values"]
    assert values["stage"][0]["status"]["title"] == "Won"
    assert values["value"][0]["currency_value"] == 1234.5
    assert values["value"][0]["currency_code"] == "EUR"
    assert values["owner"][0]["referenced_actor_id"] == member["id"]["workspace_member_id"]
    company = client.post(
        COMPANIES,
        {
            "data": {
                "values": {
                    "domains": ["https://www.newco-example.io/about"],
                    "categories": ["SaaS", "b2b"],
                    "foundation_date": "2020-03",
                }
            }
        },
    ).data["values"]
    assert company["domains"][0]["domain"] == "newco-example.io"
    assert company["domains"][0]["root_domain"] == "newco-example.io"
    assert [c["option"]["title"] for c in company["categories"]] == ["SaaS", "B2B"]
    assert company["foundation_date"][0]["value"] == "2020-03-01"


def test_patch_appends_and_put_overwrites_multi_values(client):
    record = _create_person(client, email_addresses=["one@example.com"], job_title="A")
    url = f"{PEOPLE}/{record['id']['record_id']}"
    patched = client.request(
        "PATCH",
        url,
        {"data": {"values": {"email_addresses": ["two@example.com"], "job_title": "B"}}},
    ).data["values"]
    assert [e["email_address"] for e in patched["email_addresses"]] == [
        "two@example.com",
        "one@example.com",
    ]
    assert [t["value"] for t in patched["job_title"]] == ["B"]
    # appending an existing value keeps it once, with its history
    again = client.request(
        "PATCH", url, {"data": {"values": {"email_addresses": "one@example.com"}}}
    ).data["values"]
    assert again["email_addresses"] == patched["email_addresses"]
    put = client.request(
        "PUT",
        url,
        {"data": {"values": {"email_addresses": ["three@example.com", "one@example.com"]}}},
    ).data["values"]
    assert [e["email_address"] for e in put["email_addresses"]] == [
        "three@example.com",
        "one@example.com",
    ]
    assert put["email_addresses"][1] == patched["email_addresses"][1]
    assert put["job_title"] == patched["job_title"]  # untouched attributes stay
    cleared = client.request("PUT", url, {"data": {"values": {"email_addresses": []}}})
    assert cleared.data["values"]["email_addresses"] == []
    assert client.world.table("attio.people")[record["id"]["record_id"]] == cleared.data


def test_unique_attribute_conflict_is_409(client, expect_error, unchanged):
    taken = next(
        p["values"]["email_addresses"][0]["email_address"]
        for p in client.records("people")
        if p["values"]["email_addresses"]
    )
    reply = unchanged(
        client,
        lambda: client.post(PEOPLE, {"data": {"values": {"email_addresses": [taken.upper()]}}}),
    )
    expect_error(reply, 409, "uniqueness_conflict")


def test_assert_creates_then_updates(client, expect_error):
    url = f"{PEOPLE}?matching_attribute=email_addresses"
    body = {"data": {"values": {"email_addresses": ["grace@hopper.dev"], "job_title": "Admiral"}}}
    created = client.request("PUT", url, body)
    assert created.status == 200
    record_id = created.data["id"]["record_id"]
    count = len(client.world.table("attio.people"))
    body["data"]["values"]["job_title"] = "Rear Admiral"
    updated = client.request("PUT", url, body).data
    assert updated["id"]["record_id"] == record_id
    assert len(client.world.table("attio.people")) == count
    assert updated["values"]["job_title"][0]["value"] == "Rear Admiral"
    expect_error(
        client.request("PUT", f"{PEOPLE}?matching_attribute=nope", body), 400, "value_not_found"
    )
    expect_error(client.request("PUT", PEOPLE, body), 400, "value_not_found")
    expect_error(
        client.request("PUT", f"{PEOPLE}?matching_attribute=job_title", body),
        400,
        "validation_type",
    )
    no_match_value = {"data": {"values": {"job_title": "X"}}}
    expect_error(client.request("PUT", url, no_match_value), 400, "missing_value")


def test_assert_on_duplicated_domain_is_ambiguous(client, expect_error):
    domains: dict[str, int] = {}
    for company in client.records("companies"):
        for d in company["values"]["domains"]:
            domains[d["domain"]] = domains.get(d["domain"], 0) + 1
    shared = next(d for d, n in domains.items() if n > 1)
    reply = client.request(
        "PUT",
        f"{COMPANIES}?matching_attribute=domains",
        {"data": {"values": {"domains": [shared]}}},
    )
    expect_error(reply, 400, "multiple_match_results")


def test_delete_cascades(client, expect_error):
    company_id = next(
        rid
        for rid, c in client.world.table("attio.companies").items()
        if any(e["parent_record_id"] == rid for e in client.world.table("attio.entries").values())
        and any(
            p["values"]["company"] and p["values"]["company"][0]["target_record_id"] == rid
            for p in client.records("people")
        )
    )
    reply = client.request("DELETE", f"{COMPANIES}/{company_id}")
    assert reply.status == 200 and reply.json == {}
    assert company_id not in client.world.table("attio.companies")
    for row in client.world.table("attio.entries").values():
        assert row["parent_record_id"] != company_id
    for row in client.world.table("attio.notes").values():
        assert row["parent_record_id"] != company_id
    for obj in ("people", "deals"):
        for rec in client.records(obj):
            for values in rec["values"].values():
                assert all(v.get("target_record_id") != company_id for v in values)
    expect_error(client.get(f"{COMPANIES}/{company_id}"), 404, "not_found")
    expect_error(client.request("DELETE", f"{COMPANIES}/{company_id}"), 404, "not_found")


@pytest.mark.parametrize(
    ("values", "status", "code"),
    [
        ({"favourite_colour": "blue"}, 400, "value_not_found"),
        ({"created_at": "2020-01-01T00:00:00Z"}, 400, "validation_type"),
        ({"record_id": "abc"}, 400, "validation_type"),
        ({"email_addresses": "not-an-email"}, 400, "validation_type"),
        ({"email_addresses": 42}, 400, "validation_type"),
        ({"job_title": ["a", "b"]}, 400, "validation_type"),
        ({"job_title": {"nested": True}}, 400, "validation_type"),
        ({"name": 12}, 400, "validation_type"),
        ({"company": "00000000-0000-4000-8000-000000000000"}, 400, "value_not_found"),
        ({"company": {"target_object": "people", "target_record_id": "x"}}, 400, "validation_type"),
        ({"phone_numbers": "call me"}, 400, "validation_type"),
        ({"primary_location": "Paris"}, 400, "validation_type"),
    ],
)
def test_invalid_values_are_400_and_change_nothing(
    client, expect_error, unchanged, values, status, code
):
    reply = unchanged(client, lambda: client.post(PEOPLE, {"data": {"values": values}}))
    body = expect_error(reply, status, code)
    assert next(iter(values)) in body["message"]


@pytest.mark.parametrize(
    "values",
    [
        {"value": float("nan")},
        {"value": 10**30},
        {"value": True},
        {"stage": "Closed"},
        {"stage": None},
    ],
)
def test_invalid_deal_values(client, expect_error, unchanged, values):
    body = {"data": {"values": {"name": "Deal", "stage": "Lead", **values}}}
    raw = __import__("json").dumps(body).encode()  # NaN is sent as the literal NaN
    reply = unchanged(client, lambda: client.post("/v2/objects/deals/records", raw=raw))
    assert reply.status == 400
    expect_error(reply, 400)


def test_required_attribute_missing(client, expect_error):
    reply = client.post("/v2/objects/deals/records", {"data": {"values": {"name": "No stage"}}})
    expect_error(reply, 400, "missing_value")
    deal_id = next(iter(client.world.table("attio.deals")))
    reply = client.request(
        "PUT", f"/v2/objects/deals/records/{deal_id}", {"data": {"values": {"stage": None}}}
    )
    expect_error(reply, 400, "missing_value")


def test_envelope_errors(client, expect_error, unchanged):
    for body in (
        {"values": {}},
        {"data": []},
        {"data": {"values": []}},
        [],
        "x",
        {"data": {"values": {}, "extra": 1}},
    ):
        reply = unchanged(client, lambda body=body: client.post(PEOPLE, body))
        expect_error(reply, 400, "validation_type")


def test_unknown_record_is_404(client, expect_error):
    for method in ("GET", "PATCH", "PUT", "DELETE"):
        body = {"data": {"values": {}}} if method in ("PATCH", "PUT") else None
        kwargs = {"body": body} if body else {}
        reply = client.request(method, f"{PEOPLE}/does-not-exist", **kwargs)
        expect_error(reply, 404, "not_found")
