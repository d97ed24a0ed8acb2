"""Record queries: filters, sorts, limit and offset, checked against the world's tables."""

from __future__ import annotations

import pytest


def _ids(records):
    return [r["id"]["record_id"] for r in records]


def _default_order(records):
    return _ids(sorted(records, key=lambda r: (r["created_at"], r["id"]["record_id"])))


def _query_all(client, obj, body):
    found, offset = [], 0
    while True:
        reply = client.query(obj, {**body, "limit": 100, "offset": offset})
        assert reply.status == 200, reply.raw
        found += reply.data
        if len(reply.data) < 100:
            return found
        offset += 100


def _emails(record):
    return [e["email_address"] for e in record["values"]["email_addresses"]]


def test_empty_body_lists_in_creation_order(seeded):
    reply = seeded.query("people")
    assert reply.status == 200
    assert _ids(reply.data) == _default_order(seeded.records("people"))
    assert _ids(seeded.query("people", {}).data) == _ids(reply.data)


def test_limit_and_offset_pages(seeded):
    everything = _default_order(seeded.records("people"))
    pages = [seeded.query("people", {"limit": 150, "offset": o}).data for o in (0, 150, 300)]
    assert [len(p) for p in pages] == [150, 150, 100]
    assert [i for p in pages for i in _ids(p)] == everything
    assert seeded.query("people", {"offset": 1000}).data == []
    assert len(seeded.query("companies").data) == len(seeded.records("companies"))


def test_people_without_email(seeded):
    expected = {r["id"]["record_id"] for r in seeded.records("people") if not _emails(r)}
    assert 0.08 < len(expected) / 400 < 0.25
    for body in (
        {"filter": {"$not": {"email_addresses": {"$not_empty": True}}}},
        {"filter": {"email_addresses": {"$not_empty": False}}},
    ):
        assert set(_ids(_query_all(seeded, "people", body))) == expected


def test_shorthand_and_property_filters(seeded):
    people = seeded.records("people")
    person = next(p for p in people if _emails(p) and p["values"]["company"])
    email = _emails(person)[0]
    found = seeded.query("people", {"filter": {"email_addresses": email.upper()}}).data
    assert _ids(found) == [person["id"]["record_id"]]
    domain = email.split("@")[1]
    expected = {
        r["id"]["record_id"] for r in people if any(e.split("@")[1] == domain for e in _emails(r))
    }
    body = {"filter": {"email_addresses": {"email_domain": {"$eq": domain}}}}
    assert set(_ids(_query_all(seeded, "people", body))) == expected
    last = person["values"]["name"][0]["last_name"]
    expected = {r["id"]["record_id"] for r in people if r["values"]["name"][0]["last_name"] == last}
    assert (
        set(_ids(_query_all(seeded, "people", {"filter": {"name": {"last_name": last}}})))
        == expected
    )
    company_id = person["values"]["company"][0]["target_record_id"]
    expected = {
        r["id"]["record_id"]
        for r in people
        if r["values"]["company"] and r["values"]["company"][0]["target_record_id"] == company_id
    }
    for flt in ({"company": company_id}, {"company": {"target_record_id": {"$eq": company_id}}}):
        assert set(_ids(_query_all(seeded, "people", {"filter": flt}))) == expected


def test_string_operators_and_logic(seeded):
    companies = seeded.records("companies")
    name = lambda r: r["values"]["name"][0]["value"] if r["values"]["name"] else ""  # noqa: E731
    cases = [
        ({"name": {"$contains": "lab"}}, lambda r: "lab" in name(r).lower()),
        ({"name": {"$starts_with": "b"}}, lambda r: name(r).lower().startswith("b")),
        ({"name": {"$ends_with": "INC"}}, lambda r: name(r).lower().endswith("inc")),
        (
            {"$or": [{"name": {"$starts_with": "a"}}, {"name": {"$starts_with": "z"}}]},
            lambda r: name(r).lower()[:1] in ("a", "z"),
        ),
        (
            {"$and": [{"categories": "SaaS"}, {"employee_range": {"$in": ["1-10", "11-50"]}}]},
            lambda r: (
                any(c["option"]["title"] == "SaaS" for c in r["values"]["categories"])
                and bool(r["values"]["employee_range"])
                and r["values"]["employee_range"][0]["option"]["title"] in ("1-10", "11-50")
            ),
        ),
        (
            {"$not": {"categories": {"$in": ["B2B", "B2C"]}}},
            lambda r: (
                not any(c["option"]["title"] in ("B2B", "B2C") for c in r["values"]["categories"])
            ),
        ),
    ]
    for flt, keep in cases:
        expected = [r["id"]["record_id"] for r in companies if keep(r)]
        got = _ids(_query_all(seeded, "companies", {"filter": flt}))
        assert set(got) == set(expected), flt
        assert got == [i for i in _default_order(companies) if i in set(expected)]


def test_numeric_date_and_timestamp_comparisons(seeded):
    companies = seeded.records("companies")
    deals = seeded.records("deals")
    threshold = sorted(d["values"]["value"][0]["currency_value"] for d in deals)[len(deals) // 2]
    expected = {
        d["id"]["record_id"]
        for d in deals
        if d["values"]["value"] and d["values"]["value"][0]["currency_value"] >= threshold
    }
    got = _query_all(seeded, "deals", {"filter": {"value": {"$gte": threshold}}})
    assert set(_ids(got)) == expected
    expected = {
        c["id"]["record_id"]
        for c in companies
        if c["values"]["foundation_date"]
        and "2000-01-01" <= c["values"]["foundation_date"][0]["value"] < "2010-01-01"
    }
    flt = {"foundation_date": {"$gte": "2000-01-01", "$lt": "2010-01-01"}}
    assert set(_ids(_query_all(seeded, "companies", {"filter": flt}))) == expected
    cutoff = sorted(p["created_at"] for p in seeded.records("people"))[100]
    flt = {"created_at": {"$lt": cutoff}}
    assert len(_query_all(seeded, "people", {"filter": flt})) == 100
    won = {
        d["id"]["record_id"] for d in deals if d["values"]["stage"][0]["status"]["title"] == "Won"
    }
    assert set(_ids(_query_all(seeded, "deals", {"filter": {"stage": "Won"}}))) == won


def test_sorts(seeded):
    people = seeded.records("people")
    oldest = _ids(sorted(people, key=lambda r: r["created_at"])[:5])
    body = {"sorts": [{"direction": "asc", "attribute": "created_at"}], "limit": 5}
    assert _ids(seeded.query("people", body).data) == oldest
    newest = _ids(sorted(people, key=lambda r: r["created_at"], reverse=True)[:3])
    body = {"sorts": [{"direction": "desc", "attribute": "created_at"}], "limit": 3}
    assert _ids(seeded.query("people", body).data) == newest
    body = {
        "sorts": [
            {"direction": "asc", "attribute": "name", "field": "last_name"},
            {"direction": "asc", "attribute": "name", "field": "first_name"},
        ]
    }
    got = seeded.query("people", body).data
    keys = [
        (r["values"]["name"][0]["last_name"].lower(), r["values"]["name"][0]["first_name"].lower())
        for r in got
    ]
    assert keys == sorted(keys)
    body = {"sorts": [{"direction": "desc", "attribute": "funding_raised_usd"}]}
    got = seeded.query("companies", body).data
    funded = [r["values"]["funding_raised_usd"] for r in got]
    present = [f[0]["currency_value"] for f in funded if f]
    assert present == sorted(present, reverse=True)
    assert all(not f for f in funded[len(present) :])  # empty values last


@pytest.mark.parametrize(
    "body",
    [
        {"filter": {"name": {"$regex": "a"}}},
        {"filter": {"$nor": [{"name": "a"}]}},
        {"filter": {"email_addresses": {"$lt": "a"}}},
        {"filter": {"colour": "red"}},
        {"filter": {"name": {"middle_name": "x"}}},
        {"filter": {"created_at": {"$gt": "yesterday"}}},
        {"filter": {"name": {"$eq": 5}}},
        {"filter": {"name": {"$in": "Ada"}}},
        {"filter": {"email_addresses": {"$not_empty": "yes"}}},
        {"filter": {"$and": {"name": "a"}}},
        {"filter": {"primary_location": "London"}},
        {"filter": []},
        {"sorts": [{"direction": "up", "attribute": "name"}]},
        {"sorts": [{"direction": "asc", "attribute": "nope"}]},
        {"sorts": [{"direction": "asc", "attribute": "name", "field": "middle"}]},
        {"sorts": {"direction": "asc"}},
    ],
)
def test_bad_filters_and_sorts_are_filter_errors(client, expect_error, body):
    reply = client.query("people", body)
    expect_error(reply, 400, "filter_error")


def test_unknown_operator_message_lists_operators(client, expect_error):
    message = expect_error(
        client.query("people", {"filter": {"name": {"$ne": "a"}}}), 400, "filter_error"
    )["message"]
    assert "$ne" in message and "$contains" in message
    message = expect_error(client.query("people", {"filter": {"colour": "red"}}), 400)["message"]
    assert "email_addresses" in message


@pytest.mark.parametrize(
    "body",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": "10"},
        {"limit": 1.5},
        {"offset": -1},
        {"offset": True},
        {"limit": 10**40},
        {"page": 2},
    ],
)
def test_bad_paging_is_400(client, expect_error, body):
    expect_error(client.query("people", body), 400, "validation_type")


def test_deep_filter_nesting_is_400(client, expect_error):
    flt: dict = {"name": "x"}
    for _ in range(40):
        flt = {"$not": flt}
    expect_error(client.query("people", {"filter": flt}), 400, "filter_error")
