"""Typeform endpoints: listings, definitions, responses by tokens, and errors (never a 500)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.mockapis.typeform.conftest import TypeformClient


def big_form(client: TypeformClient) -> str:
    counts = Counter(r["form_id"] for r in client.world.table("typeform.responses").values())
    return counts.most_common(1)[0][0]


def test_workspaces_page_and_form_counts(client):
    first = client.get("/workspaces").json
    assert first["total_items"] == 14 and first["page_count"] == 2 and len(first["items"]) == 10
    assert first["items"][0]["default"] is True
    both = first["items"] + client.get("/workspaces", {"page": 2}).json["items"]
    assert len({w["id"] for w in both}) == 14
    forms = client.world.table("typeform.forms").values()
    for workspace in both:
        assert workspace["forms"]["count"] == sum(
            f["workspace_id"] == workspace["id"] for f in forms
        )
    one = client.get(f"/workspaces/{both[3]['id']}").json
    assert one["name"] == both[3]["name"]


def test_forms_pages_filters_and_definition(client):
    ids = []
    for page in (1, 2, 3, 4):
        ids += [
            f["id"] for f in client.get("/forms", {"page": page, "page_size": 10}).json["items"]
        ]
    assert len(ids) == len(set(ids)) == 32
    assert client.get("/forms", {"page": 5}).json["items"] == []
    workspace = client.world.table("typeform.forms")[ids[0]]["workspace_id"]
    within = client.get("/forms", {"workspace_id": workspace, "page_size": 200}).json
    assert ids[0] in {f["id"] for f in within["items"]}
    form = client.get(f"/forms/{ids[0]}").json
    assert form["fields"][0]["type"] == "multiple_choice"
    assert {"id", "ref", "title", "type"} <= set(form["fields"][0])
    assert form["workspace"]["href"].endswith(f"/workspaces/{workspace}")


def test_responses_are_newest_first_and_before_tokens_cover_everything(client):
    form = big_form(client)
    stored = [
        r["item"] for r in client.world.table("typeform.responses").values() if r["form_id"] == form
    ]
    assert len(stored) > 1000
    first = client.get(f"/forms/{form}/responses").json
    assert len(first["items"]) == 25 and first["total_items"] == len(stored)
    stamps = [i["submitted_at"] for i in first["items"]]
    assert stamps == sorted(stamps, reverse=True)
    seen: list[str] = []
    params: dict[str, object] = {"page_size": 1000}
    while True:
        body = client.get(f"/forms/{form}/responses", params).json
        seen += [i["token"] for i in body["items"]]
        if not body["items"]:
            break
        params["before"] = body["items"][-1]["token"]
    assert len(seen) == len(set(seen)) == len(stored)


def test_after_token_gives_the_newer_ones_oldest_first(client):
    form = big_form(client)
    newest = client.get(f"/forms/{form}/responses", {"page_size": 10}).json["items"]
    newer = client.get(f"/forms/{form}/responses", {"after": newest[5]["token"]}).json["items"]
    assert [i["token"] for i in newer] == [i["token"] for i in reversed(newest[:5])]


def test_answers_reference_fields_of_the_definition(client):
    form = big_form(client)
    fields = {f["id"]: f for f in client.get(f"/forms/{form}").json["fields"]}
    item = client.get(f"/forms/{form}/responses", {"page_size": 1}).json["items"][0]
    for answer in item["answers"]:
        field = fields[answer["field"]["id"]]
        assert answer["field"]["ref"] == field["ref"] and answer["field"]["type"] == field["type"]
        if answer["type"] == "choice":
            assert answer["choice"]["label"] in {c["label"] for c in field["properties"]["choices"]}


def test_since_until_filter_inclusively(client):
    form = big_form(client)
    items = client.get(f"/forms/{form}/responses", {"page_size": 50}).json["items"]
    since, until = items[30]["submitted_at"], items[10]["submitted_at"]
    body = client.get(f"/forms/{form}/responses", {"since": since, "until": until.rstrip("Z")}).json
    assert body["total_items"] == 21


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "1001"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "²"}, "page_size"),
        ({"since": "yesterday"}, "since"),
        ({"before": "nope"}, "before"),
        ({"sort": "submitted_at,desc", "before": "x"}, "sort"),
        ({"sort": "title"}, "sort"),
        ({"completed": "maybe"}, "completed"),
    ],
)
def test_bad_parameters_are_validation_errors(client, params, field):
    reply = client.get(f"/forms/{big_form(client)}/responses", params)
    assert reply.status == 400
    assert reply.json["code"] == "VALIDATION_ERROR" and reply.json["details"][0]["field"] == field


@pytest.mark.parametrize("path", ["/workspaces", "/forms"])
@pytest.mark.parametrize("params", [{"page": "0"}, {"page_size": "201"}, {"page": "x"}])
def test_listing_bounds(client, path, params):
    reply = client.get(path, params)
    assert reply.status == 400 and reply.json["code"] == "VALIDATION_ERROR"


def test_unknown_ids_and_tokens(client):
    assert client.get("/forms/nope").json == {
        "code": "FORM_NOT_FOUND",
        "description": "Non existing form with uid nope",
    }
    assert client.get("/forms/nope/responses").status == 404
    assert client.get("/workspaces/nope").json["code"] == "WORKSPACE_NOT_FOUND"
    assert client.get("/forms", {"workspace_id": "nope"}).status == 404
    assert client.get("/forms", token=None).status == 401
    assert client.get("/forms", token=None).json == {
        "code": "AUTHENTICATION_FAILED",
        "description": "Authentication credentials not found on the Request Headers",
    }
    wrong = client.get("/forms", token="tfp_wrong")  # a wrong token is 403 on Typeform
    assert wrong.status == 403
    assert wrong.json == {"code": "AUTHENTICATION_FAILED", "description": "Authentication failed"}
    assert client.get("/nowhere").status == 404


def test_response_type_filters_and_is_validated(client):
    form = big_form(client)
    path = f"/forms/{form}/responses"
    total = client.get(path).json["total_items"]
    assert client.get(path, {"response_type": "completed,partial"}).json["total_items"] == total
    assert client.get(path, {"response_type": "partial,started"}).json["total_items"] == 0
    reply = client.get(path, {"response_type": "completed,finished"})
    assert reply.status == 400 and reply.json["details"][0]["field"] == "response_type"


def test_fields_and_answered_fields(client):
    form = big_form(client)
    path = f"/forms/{form}/responses"
    fields = client.get(f"/forms/{form}").json["fields"]
    first, optional = fields[0]["id"], fields[-1]["id"]
    shown = client.get(path, {"fields": first, "page_size": 100}).json["items"]
    assert all([a["field"]["id"] for a in i["answers"]] == [first] for i in shown)
    total = client.get(path).json["total_items"]
    answered = client.get(path, {"answered_fields": optional, "page_size": 1000}).json
    assert 0 < answered["total_items"] <= total
    assert all(optional in {a["field"]["id"] for a in i["answers"]} for i in answered["items"])


def test_sort_by_a_field_id(client):
    form = big_form(client)
    fields = client.get(f"/forms/{form}").json["fields"]
    numeric = [f["id"] for f in fields if f["type"] in ("number", "rating", "opinion_scale")]
    key = numeric[0] if numeric else fields[0]["id"]
    items = client.get(f"/forms/{form}/responses", {"sort": f"{key},asc", "page_size": 1000}).json[
        "items"
    ]
    values = [
        next((a[a["type"]] for a in i["answers"] if a["field"]["id"] == key), None) for i in items
    ]
    present = [v for v in values if v is not None]
    assert present and values[: len(present)] == present  # unanswered ones last
    if numeric:
        assert present == sorted(present)


def test_query_matches_answer_values_not_keys(client):
    form = big_form(client)
    path = f"/forms/{form}/responses"
    definition = client.get(f"/forms/{form}").json
    assert client.get(path, {"query": definition["fields"][0]["id"]}).json["total_items"] == 0
    assert client.get(path, {"query": "choice"}).json["total_items"] == 0
    label = definition["fields"][0]["properties"]["choices"][0]["label"]
    found = client.get(path, {"query": label.upper(), "page_size": 1000}).json
    assert found["total_items"] > 0
    assert all(
        any(
            label in str(a.get("choice") or a.get("choices") or a.get("text")) for a in i["answers"]
        )
        for i in found["items"]
    )


def test_definition_and_workspace_carry_the_documented_fields(client):
    form_id = client.get("/forms").json["items"][0]["id"]
    form = client.get(f"/forms/{form_id}").json
    assert form["language"] == "en" and form["hidden"] == []
    workspace = client.get(f"/workspaces/{form['workspace']['href'].rsplit('/', 1)[1]}").json
    assert [m["role"] for m in workspace["members"]] == ["owner"]
    listed = client.get("/workspaces").json["items"]
    assert all(set(w["members"][0]) == {"email", "name", "role"} for w in listed)
