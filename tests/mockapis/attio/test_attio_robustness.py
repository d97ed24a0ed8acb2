"""Whatever an agent sends is a clear 4xx, never a server error, and never a partial write."""

from __future__ import annotations

import json
import random

import pytest

PEOPLE = "/v2/objects/people/records"


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        (b'{"data": ', "application/json", 400, "validation_type"),
        (b"\xff\xfe", "application/json", 400, "validation_type"),
        (b'{"data": {"values": {}}}', "text/plain", 415, "unsupported_media_type"),
        (b'{"data": {"values": {}}}', None, 415, "unsupported_media_type"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "validation_type"),
        (b'{"limit": ' + b"9" * 5000 + b"}", "application/json", 400, "validation_type"),
        (
            b'{"data": {"values": {"job_title": "\\ud800"}}}',
            "application/json",
            400,
            "validation_type",
        ),
        (b"x" * 2_000_000, "application/json", 413, "payload_too_large"),
    ],
)
def test_malformed_bodies(client, expect_error, unchanged, raw, content_type, status, code):
    for method, path in (
        ("POST", PEOPLE),
        ("POST", f"{PEOPLE}/query"),
        ("POST", "/v2/notes"),
        ("POST", "/v2/lists/sales_pipeline/entries"),
    ):
        reply = unchanged(
            client,
            lambda m=method, p=path: client.request(m, p, raw=raw, content_type=content_type),
        )
        expect_error(reply, status, code)


def test_empty_body_on_write_is_400(client, expect_error):
    expect_error(client.request("POST", PEOPLE), 400, "validation_type")
    expect_error(client.request("POST", "/v2/notes"), 400, "validation_type")


def test_unicode_round_trips(client):
    values = {
        "name": {"first_name": "Zoë", "last_name": "Ångström 山田"},
        "description": "naïve — ☃ 🎉 \u200b",
    }
    reply = client.post(PEOPLE, {"data": {"values": values}})
    assert reply.status == 200
    stored = reply.data["values"]
    assert stored["name"][0]["full_name"] == "Zoë Ångström 山田"
    assert stored["description"][0]["value"] == values["description"]
    flt = {"filter": {"name": {"first_name": {"$eq": "zoË"}}}}
    assert len(client.query("people", flt).data) == 1


def test_surrogate_in_path_or_error_message_is_safe(client):
    reply = client.get("/v2/objects/%ED%A0%80/records/x")
    assert reply.status == 404
    reply = client.request("POST", f"{PEOPLE}/query", raw=b'{"filter": {"\\udc80x": 1}}')
    assert reply.status == 400
    reply = client.query("people", {"filter": {"é": 1}})
    assert reply.status == 400 and "é" in reply.json["message"]


_SCALARS = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    10**20,
    "",
    "x",
    "ada@acme.com",
    "acme.com",
    "2020-01-01",
    "Won",
    "+14155550100",
    [],
    {},
    [1, "a"],
    {"value": None},
    {"$eq": 1},
    ["B2B"],
    "00000000-0000-4000-8000-000000000000",
]
_KEYS = [
    "name",
    "email_addresses",
    "domains",
    "stage",
    "value",
    "company",
    "categories",
    "primary_location",
    "phone_numbers",
    "created_at",
    "x",
    "$and",
    "$not",
    "$eq",
    "filter",
    "sorts",
    "limit",
    "offset",
    "data",
    "values",
    "entry_values",
    "parent_object",
    "parent_record_id",
    "title",
    "format",
    "content",
    "record_id",
    "direction",
    "attribute",
    "field",
]


def _junk(rng: random.Random, depth: int = 0):
    if depth > 3 or rng.random() < 0.4:
        return rng.choice(_SCALARS)
    if rng.random() < 0.3:
        return [_junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(_KEYS): _junk(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def test_random_bodies_never_break_the_service(client):
    rng = random.Random(1234)
    person = sorted(client.world.table("attio.people"))[0]
    entry = next(iter(client.world.table("attio.entries")))
    targets = [
        ("POST", PEOPLE),
        ("PUT", f"{PEOPLE}?matching_attribute=email_addresses"),
        ("PATCH", f"{PEOPLE}/{person}"),
        ("PUT", f"{PEOPLE}/{person}"),
        ("POST", "/v2/objects/companies/records/query"),
        ("POST", "/v2/objects/deals/records"),
        ("POST", "/v2/lists/sales_pipeline/entries/query"),
        ("POST", "/v2/lists/sales_pipeline/entries"),
        ("PATCH", f"/v2/lists/sales_pipeline/entries/{entry}"),
        ("POST", "/v2/notes"),
    ]
    for i in range(600):
        method, path = targets[i % len(targets)]
        body = _junk(rng)
        if rng.random() < 0.5:
            body = {"data": body if rng.random() < 0.3 else {"values": _junk(rng)}}
        before = client.world.state_hash() if i % 25 == 0 else None
        reply = client.request(method, path, body)
        assert reply.status < 500, (method, path, body)
        if reply.status >= 400:
            payload = json.loads(reply.raw)
            assert set(payload) == {"status_code", "type", "code", "message"}
            if before is not None:
                client.world.clock.now_ns -= 50_000_000
                assert client.world.state_hash() == before
                client.world.clock.now_ns += 50_000_000
