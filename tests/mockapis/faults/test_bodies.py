"""``malformed`` and ``schema_drift``: exactly their symptom, on exactly the scheduled requests,
and the world exactly as without them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockapis.faults.kinds.bodies import HTML_PAGE, retype
from tests.mockapis.faults.harness import PEOPLE, Harness, attio, fake

THINGS = "/v1/things"


def _rule(kind: str, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "params": params, **extra}


def _twins(rule: dict[str, Any], **kw: Any) -> tuple[Harness, Harness]:
    """The same world with the rule, and without any fault layer."""
    return fake([rule], **kw), fake(None, **kw)


def _parses(body: bytes) -> bool:
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


# -- malformed -------------------------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.5, 0.1, 0.99])
def test_truncate_cuts_the_json_with_a_matching_content_length(fraction: float) -> None:
    faulty, clean = _twins(_rule("malformed", {"fraction": fraction}, when={"first": 1}))
    cut, whole = faulty.get(THINGS), clean.get(THINGS)
    assert cut.status == whole.status == 200
    assert whole.raw.startswith(cut.raw)
    assert len(cut.raw) == int(len(whole.raw) * fraction)
    assert cut.headers["content-length"] == str(len(cut.raw))
    assert cut.headers["content-type"] == "application/json"
    assert not _parses(cut.raw)
    assert faulty.get(THINGS).raw == clean.get(THINGS).raw  # first: 1 only
    assert faulty.kinds() == [("malformed",), ()]


def test_truncate_never_keeps_the_whole_body() -> None:
    faulty, clean = _twins(_rule("malformed", {"fraction": 0.9999}))
    cut, whole = faulty.get(THINGS), clean.get(THINGS)
    assert len(cut.raw) == len(whole.raw) - 1


def test_wrong_content_type_keeps_the_body() -> None:
    rule = _rule("malformed", {"mode": "wrong_content_type", "content_type": "text/csv"})
    faulty, clean = _twins(rule)
    got, expected = faulty.get(THINGS), clean.get(THINGS)
    assert got.headers["content-type"] == "text/csv"
    assert got.raw == expected.raw
    assert got.headers["content-length"] == str(len(got.raw))


def test_html_replaces_even_an_error_with_a_200_page() -> None:
    faulty, clean = _twins(_rule("malformed", {"mode": "html"}))
    assert clean.get("/v1/things/nope").status == 404
    page = faulty.get("/v1/things/nope")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.raw == HTML_PAGE
    assert page.headers["content-length"] == str(len(HTML_PAGE))


def test_non_json_responses_pass_through_without_inject() -> None:
    faulty, clean = _twins(_rule("malformed", {"mode": "html"}))
    docs = faulty.get("/openapi.yaml")
    assert docs.raw == clean.get("/openapi.yaml").raw
    assert docs.headers["content-type"].startswith("application/yaml")
    assert faulty.kinds() == [()]


@pytest.mark.parametrize("mode", ["truncate", "wrong_content_type", "html"])
def test_malformed_writes_stand_exactly_as_without_the_fault(mode: str) -> None:
    faulty, clean = _twins(_rule("malformed", {"mode": mode}))
    for h in (faulty, clean):
        assert h.post(THINGS, {"name": "new"}).status == (
            200 if h is faulty and mode == "html" else 201
        )
        h.post(THINGS, {"name": "refused", "then": "fail"})
    assert faulty.world.state_hash() == clean.world.state_hash()
    assert "thing_4" in faulty.world.table("fake.things")
    assert faulty.kinds() == [("malformed",), ("malformed",)]


# -- schema drift ----------------------------------------------------------------------------


def _drifted(params: dict[str, Any], path: str = THINGS) -> tuple[Any, Any, Harness]:
    faulty, clean = _twins(_rule("schema_drift", params))
    got, expected = faulty.get(path), clean.get(path)
    assert got.headers["content-length"] == str(len(got.raw))
    return got.json, expected.json, faulty


def test_rename_every_item_keeping_the_key_position() -> None:
    got, expected, h = _drifted({"op": "rename", "field": "data.*.name", "to": "title"})
    for new, old in zip(got["data"], expected["data"], strict=True):
        assert list(new) == ["id" if k == "id" else "title" if k == "name" else k for k in old]
        assert new["title"] == old["name"]
    assert h.kinds() == [("schema_drift",)]


def test_remove_a_top_level_field() -> None:
    got, expected, _ = _drifted({"op": "remove", "field": "total"})
    assert got == {"data": expected["data"]}


def test_remove_every_list_item() -> None:
    got, _, _ = _drifted({"op": "remove", "field": "data.*"})
    assert got["data"] == []


def test_null_one_list_item_by_index() -> None:
    got, expected, _ = _drifted({"op": "null", "field": "data.1.token"})
    assert got["data"][1]["token"] is None
    expected["data"][1]["token"] = None
    assert got == expected


def test_null_every_key_of_every_item() -> None:
    got, _, _ = _drifted({"op": "null", "field": "data.*.*"})
    assert all(value is None for item in got["data"] for value in item.values())


@pytest.mark.parametrize(
    ("to", "value"),
    [("string", "3"), ("array", [3]), ("object", {"value": 3}), ("number", 3)],
)
def test_retype_a_number(to: str, value: Any) -> None:
    faulty = fake([_rule("schema_drift", {"op": "retype", "field": "total", "type": to})])
    assert faulty.get(THINGS).json["total"] == value
    assert faulty.kinds() == [("schema_drift",) if to != "number" else ()]


@pytest.mark.parametrize(
    ("value", "to", "expected"),
    [
        ("12", "number", 12),
        ("1.5", "number", 1.5),
        ("2.0", "number", 2.0),
        ("nan", "number", "nan"),
        ("abc", "number", "abc"),
        (True, "number", 1),
        ([1], "number", [1]),
        (None, "string", None),
        (True, "string", "true"),
        ({"a": [1]}, "string", '{"a":[1]}'),
        ("x", "string", "x"),
        ([1], "array", [1]),
        ({"a": 1}, "object", {"a": 1}),
        ([1], "object", {"value": [1]}),
    ],
)
def test_retype_conversions(value: Any, to: str, expected: Any) -> None:
    got = retype(value, to)
    assert got == expected
    assert type(got) is type(expected)


def test_a_path_that_matches_nothing_changes_nothing() -> None:
    faulty, clean = _twins(_rule("schema_drift", {"op": "remove", "field": "data.*.missing"}))
    assert faulty.get(THINGS).raw == clean.get(THINGS).raw
    assert faulty.get("/v1/things/thing_1").raw == clean.get("/v1/things/thing_1").raw
    assert faulty.kinds() == [(), ()]


def test_drift_applies_to_errors_too_and_only_when_scheduled() -> None:
    rule = _rule("schema_drift", {"op": "rename", "field": "error.code", "to": "type"})
    faulty = fake([{**rule, "when": {"every": 2}}])
    first, second = faulty.get("/v1/things/nope"), faulty.get("/v1/things/nope")
    assert "code" in first.json["error"]
    assert second.json["error"] == {"type": "not_found", "message": "No thing with id 'nope'."}
    assert faulty.kinds() == [(), ("schema_drift",)]


def test_drift_writes_stand_exactly_as_without_the_fault() -> None:
    faulty, clean = _twins(_rule("schema_drift", {"op": "remove", "field": "id"}))
    created, expected = faulty.post(THINGS, {"name": "new"}), clean.post(THINGS, {"name": "new"})
    assert created.status == expected.status == 201
    assert created.json == {k: v for k, v in expected.json.items() if k != "id"}
    assert faulty.world.state_hash() == clean.world.state_hash()


def test_attio_email_addresses_drift() -> None:
    field = "data.*.values.email_addresses.*.email_address"
    faulty = attio([_rule("schema_drift", {"op": "rename", "field": field, "to": "email"})])
    clean = attio()
    body = {"limit": 20}
    got = faulty.post(f"{PEOPLE}/query", body).json["data"]
    expected = clean.post(f"{PEOPLE}/query", body).json["data"]
    emails = 0
    for new, old in zip(got, expected, strict=True):
        pairs = zip(new["values"]["email_addresses"], old["values"]["email_addresses"], strict=True)
        for n, o in pairs:
            assert n["email"] == o["email_address"]
            assert "email_address" not in n
            emails += 1
        assert new["values"]["name"] == old["values"]["name"]
    assert emails > 0
    assert faulty.world.state_hash() == clean.world.state_hash()
