"""Lists and entries; notes."""

from __future__ import annotations

PIPELINE = "/v2/lists/sales_pipeline"


def _entries(client, slug):
    lst = next(r for r in client.world.table("attio.lists").values() if r["api_slug"] == slug)
    return [
        e
        for e in client.world.table("attio.entries").values()
        if e["id"]["list_id"] == lst["id"]["list_id"]
    ]


def test_lists(client, expect_error):
    lists = client.get("/v2/lists").data
    assert {lst["api_slug"]: lst["parent_object"] for lst in lists} == {
        "sales_pipeline": ["companies"],
        "key_contacts": ["people"],
    }
    by_id = client.get(f"/v2/lists/{lists[0]['id']['list_id']}").data
    assert by_id == lists[0]
    attributes = {a["api_slug"]: a for a in client.get(f"{PIPELINE}/attributes").data}
    assert attributes["stage"]["type"] == "status"
    # A list attribute's (and its statuses') "object_id" is the list's id, as Attio sends it.
    pipeline_id = next(lst["id"]["list_id"] for lst in lists if lst["api_slug"] == "sales_pipeline")
    assert attributes["stage"]["id"]["object_id"] == pipeline_id
    stages = [v for e in _entries(client, "sales_pipeline") for v in e["entry_values"]["stage"]]
    assert stages and all(v["status"]["id"]["object_id"] == pipeline_id for v in stages)
    expect_error(client.get("/v2/lists/nope"), 404, "not_found")


def test_query_entries(seeded):
    entries = _entries(seeded, "sales_pipeline")
    reply = seeded.post(f"{PIPELINE}/entries/query", {})
    assert reply.status == 200
    assert len(reply.data) == len(entries) > 0
    assert all(e["parent_object"] == "companies" for e in reply.data)
    won = {
        e["id"]["entry_id"]
        for e in entries
        if e["entry_values"]["stage"][0]["status"]["title"] == "Won"
    }
    got = seeded.post(f"{PIPELINE}/entries/query", {"filter": {"stage": "Won"}}).data
    assert {e["id"]["entry_id"] for e in got} == won
    body = {"sorts": [{"direction": "desc", "attribute": "expected_value"}], "limit": 3}
    top = seeded.post(f"{PIPELINE}/entries/query", body).data
    values = sorted(
        (e["entry_values"]["expected_value"][0]["currency_value"] for e in entries), reverse=True
    )
    assert [e["entry_values"]["expected_value"][0]["currency_value"] for e in top] == values[:3]


def test_entry_lifecycle(client, expect_error, unchanged):
    company_id = sorted(client.world.table("attio.companies"))[3]
    body = {
        "data": {
            "parent_record_id": company_id,
            "parent_object": "companies",
            "entry_values": {"stage": "Qualified", "priority": "High"},
        }
    }
    created = client.post(f"{PIPELINE}/entries", body)
    assert created.status == 200, created.raw
    entry = created.data
    entry_id = entry["id"]["entry_id"]
    assert entry["parent_record_id"] == company_id
    assert entry["entry_values"]["stage"][0]["status"]["title"] == "Qualified"
    assert client.world.table("attio.entries")[entry_id] == entry
    assert client.get(f"{PIPELINE}/entries/{entry_id}").data == entry
    patched = client.request(
        "PATCH", f"{PIPELINE}/entries/{entry_id}", {"data": {"entry_values": {"stage": "Won"}}}
    ).data
    assert patched["entry_values"]["stage"][0]["status"]["title"] == "Won"
    assert patched["entry_values"]["priority"] == entry["entry_values"]["priority"]
    moved = {"data": {"parent_record_id": company_id, "entry_values": {"stage": "Lost"}}}
    reply = unchanged(
        client, lambda: client.request("PATCH", f"{PIPELINE}/entries/{entry_id}", moved)
    )
    expect_error(reply, 400, "immutable_value")
    expect_error(client.get(f"/v2/lists/key_contacts/entries/{entry_id}"), 404, "not_found")
    assert client.request("DELETE", f"{PIPELINE}/entries/{entry_id}").json == {}
    expect_error(client.get(f"{PIPELINE}/entries/{entry_id}"), 404, "not_found")

    bad = [
        ({**body["data"], "parent_object": "people"}, 400, "validation_type"),
        ({**body["data"], "parent_record_id": "missing"}, 400, "value_not_found"),
        ({**body["data"], "entry_values": {"stage": "Signed"}}, 400, "value_not_found"),
        ({**body["data"], "entry_values": {"colour": "red"}}, 400, "value_not_found"),
    ]
    for data, status, code in bad:
        reply = unchanged(
            client, lambda data=data: client.post(f"{PIPELINE}/entries", {"data": data})
        )
        expect_error(reply, status, code)


def test_notes_list_and_filter(seeded, expect_error):
    notes = sorted(
        seeded.world.table("attio.notes").values(),
        key=lambda n: (n["created_at"], n["id"]["note_id"]),
    )
    first = seeded.get("/v2/notes").data
    assert [n["id"]["note_id"] for n in first] == [n["id"]["note_id"] for n in notes[:10]]
    page = seeded.get("/v2/notes?limit=50&offset=10").data
    assert [n["id"]["note_id"] for n in page] == [n["id"]["note_id"] for n in notes[10:60]]
    parent = notes[0]
    url = (
        f"/v2/notes?parent_object={parent['parent_object']}"
        f"&parent_record_id={parent['parent_record_id']}"
    )
    expected = [
        n["id"]["note_id"] for n in notes if n["parent_record_id"] == parent["parent_record_id"]
    ]
    assert [n["id"]["note_id"] for n in seeded.get(url).data] == expected
    for query in (
        "limit=0",
        "limit=51",
        "limit=x",
        "offset=-1",
        "parent_record_id=" + parent["parent_record_id"],
    ):
        expect_error(seeded.get(f"/v2/notes?{query}"), 400, "validation_type")
    expect_error(seeded.get("/v2/notes?parent_object=widgets"), 404, "not_found")


def test_note_lifecycle(client, expect_error, unchanged):
    person_id = sorted(client.world.table("attio.people"))[0]
    body = {
        "data": {
            "parent_object": "people",
            "parent_record_id": person_id,
            "title": "Kick-off",
            "format": "markdown",
            "content": "# Agenda\n\n- **Pricing** and [docs](https://x.y)",
        }
    }
    note = client.post("/v2/notes", body).data
    assert note["content_markdown"] == body["data"]["content"]
    assert note["content_plaintext"] == "Agenda\n\nPricing and docs"
    assert note["created_by_actor"]["type"] == "api-token"
    note_id = note["id"]["note_id"]
    assert client.world.table("attio.notes")[note_id] == note
    assert client.get(f"/v2/notes/{note_id}").data == note
    assert client.request("DELETE", f"/v2/notes/{note_id}").json == {}
    expect_error(client.get(f"/v2/notes/{note_id}"), 404, "not_found")
    bad = [
        ({**body["data"], "format": "html"}, 400, "validation_type"),
        ({**body["data"], "title": None}, 400, "validation_type"),
        ({**body["data"], "parent_record_id": "nope"}, 404, "not_found"),
        ({**body["data"], "parent_object": "widgets"}, 404, "not_found"),
        ({**body["data"], "body": "x"}, 400, "validation_type"),
    ]
    for data, status, code in bad:
        reply = unchanged(client, lambda data=data: client.post("/v2/notes", {"data": data}))
        expect_error(reply, status, code)
