"""The OpenAI service in-process: auth, files, responses, chat completions, models."""

from __future__ import annotations

import base64
import io
from typing import Any

from fpdf import FPDF

from mockapis.openai.store import FILES, RESPONSES
from tests.mockapis.openai.conftest import BOUNDARY, OpenAIClient, multipart

SCHEMA = {
    "type": "object",
    "properties": {"age": {"type": "integer"}, "city": {"type": ["string", "null"]}},
    "required": ["age", "city"],
    "additionalProperties": False,
}


def schema_format(schema: dict[str, Any] = SCHEMA, strict: bool = True) -> dict[str, Any]:
    return {"format": {"type": "json_schema", "name": "person", "schema": schema, "strict": strict}}


def user(*parts: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"role": "user", "content": list(parts)}]


def output_text(body: dict[str, Any]) -> str:
    return "".join(c["text"] for o in body["output"] for c in o["content"])


def pdf_bytes(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def test_missing_and_wrong_keys_are_401(api: OpenAIClient) -> None:
    missing = api.send("GET", "/v1/models", key=None)
    assert missing.status == 401
    assert missing.json["error"]["message"].startswith("You didn't provide an API key.")
    wrong = api.send("GET", "/v1/models", key="sk-proj-abcdefghijklmnopqrstuvwxyz")
    assert wrong.status == 401
    error = wrong.json["error"]
    assert error["code"] == "invalid_api_key"
    assert error["message"].startswith("Incorrect API key provided: sk-proj-***")
    assert "wxyz. You can find your API key at https://platform.openai.com" in error["message"]


def test_upload_list_retrieve_content_delete(api: OpenAIClient) -> None:
    made = api.upload("report.csv", b"name,qty\na,1\n")
    assert made.status == 200, made.raw
    file_id = made.json["id"]
    assert file_id.startswith("file-") and made.json["bytes"] == 13
    assert made.json["purpose"] == "user_data" and made.json["status"] == "processed"
    listed = api.send("GET", "/v1/files?limit=2").json
    assert listed["data"][0]["id"] == file_id and listed["has_more"] is True
    rest = api.send("GET", f"/v1/files?limit=10&after={listed['last_id']}").json
    assert len(listed["data"]) + len(rest["data"]) == len(api.world.table(FILES))
    only = api.send("GET", "/v1/files?purpose=fine-tune").json["data"]
    assert only and all(f["purpose"] == "fine-tune" for f in only)
    assert api.send("GET", f"/v1/files/{file_id}/content").raw == b"name,qty\na,1\n"
    assert api.send("DELETE", f"/v1/files/{file_id}").json == {
        "id": file_id,
        "object": "file",
        "deleted": True,
    }
    gone = api.send("GET", f"/v1/files/{file_id}")
    assert gone.status == 404 and gone.json["error"]["message"] == f"No such File object: {file_id}"


def test_odd_file_names_are_stored_literally(api: OpenAIClient) -> None:
    for name in ("../../etc/passwd.txt", "ünï cødé.txt"):
        made = api.upload(name, b"hello")
        assert made.status == 200, made.raw
        assert api.world.table(FILES)[made.json["id"]]["filename"] == name


def test_oversized_upload_is_413_and_stores_nothing() -> None:
    api = OpenAIClient(sizes={"max_file_bytes": 1000})
    before = len(api.world.table(FILES))
    reply = api.upload("big.txt", b"x" * 1001)
    assert reply.status == 413
    assert "1000 bytes" in reply.json["error"]["message"]
    assert len(api.world.table(FILES)) == before
    assert api.upload("ok.txt", b"x" * 1000).status == 200


def test_formats_per_purpose(api: OpenAIClient) -> None:
    batch = api.upload("requests.txt", b"{}", purpose="batch")
    assert batch.status == 400
    assert batch.json["error"]["message"] == "Invalid file format for Batch API. Must be .jsonl"
    bad_line = api.upload("train.jsonl", b'{"a": 1}\nnot json\n', purpose="fine-tune")
    assert bad_line.status == 400 and "Line 2" in bad_line.json["error"]["message"]
    assert api.upload("train.jsonl", b'{"a": 1}\n', purpose="fine-tune").status == 200
    exe = api.upload("tool.exe", b"MZ", purpose="assistants")
    assert exe.status == 400 and "[.exe] are not supported for retrieval" in exe.raw.decode()
    vision = api.upload("doc.pdf", b"%PDF-1.4", purpose="vision")
    assert vision.status == 400
    purpose = api.upload("a.txt", b"x", purpose="nope")
    assert purpose.status == 400 and purpose.json["error"]["param"] == "purpose"


def test_upload_needs_multipart_with_both_fields(api: OpenAIClient) -> None:
    as_json = api.post("/v1/files", {"file": "x", "purpose": "user_data"})
    assert as_json.status == 415 and "multipart/form-data" in as_json.json["error"]["message"]
    body = multipart({}, {"file": ("a.txt", b"x")})
    no_purpose = api.send(
        "POST", "/v1/files", body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    )
    assert no_purpose.status == 400
    assert no_purpose.json["error"]["message"] == "Missing required parameter: 'purpose'."
    garbage = api.send(
        "POST", "/v1/files", b"--nope", {"Content-Type": "multipart/form-data; boundary=zzz"}
    )
    assert garbage.status == 400


def test_response_from_uploaded_file_with_json_schema(api: OpenAIClient) -> None:
    file_id = api.upload("person.txt", b"Name: Ada\nAge: 36\nCity: Lyon\n").json["id"]
    reply = api.post(
        "/v1/responses",
        {
            "model": "gpt-4.1",
            "instructions": "Extract the person's age and city.",
            "input": user({"type": "input_file", "file_id": file_id}),
            "text": schema_format(),
            "metadata": {"run": "1"},
        },
    )
    assert reply.status == 200, reply.raw
    body = reply.json
    assert body["object"] == "response" and body["status"] == "completed"
    assert output_text(body) == '{"age": 36, "city": "Lyon"}'
    assert (
        body["usage"]["total_tokens"]
        == body["usage"]["input_tokens"] + body["usage"]["output_tokens"]
    )
    stored = api.send("GET", f"/v1/responses/{body['id']}").json
    assert stored == body
    items = api.send("GET", f"/v1/responses/{body['id']}/input_items").json
    assert items["data"][0]["content"] == [{"type": "input_file", "file_id": file_id}]


def test_file_data_pdf_and_previous_response(api: OpenAIClient) -> None:
    data = base64.b64encode(pdf_bytes(["Invoice number: INV-77", "Total due: 1,250.50"]))
    first = api.post(
        "/v1/responses",
        {
            "model": "gpt-4o",
            "input": user(
                {
                    "type": "input_file",
                    "filename": "invoice.pdf",
                    "file_data": "data:application/pdf;base64," + data.decode(),
                }
            ),
            "text": schema_format(
                {"type": "object", "properties": {"total_due": {"type": "number"}}}, strict=False
            ),
        },
    )
    assert first.status == 200, first.raw
    assert output_text(first.json) == '{"total_due": 1250.5}'
    chained = api.post(
        "/v1/responses",
        {
            "model": "gpt-4o",
            "previous_response_id": first.json["id"],
            "input": "and the number?",
            "text": schema_format(
                {"type": "object", "properties": {"invoice_number": {"type": "string"}}},
                strict=False,
            ),
        },
    )
    assert output_text(chained.json) == '{"invoice_number": "INV-77"}'


def test_enum_classification_and_summary(api: OpenAIClient) -> None:
    text = "We ship freight for the energy sector, not media.\n\nSecond paragraph here. Two."
    enum = {"type": "object", "properties": {"segment": {"enum": ["media", "energy"]}}}
    reply = api.post(
        "/v1/responses",
        {"model": "gpt-4o", "input": text, "text": schema_format(enum, strict=False)},
    )
    assert output_text(reply.json) == '{"segment": "energy"}'
    summary = api.post("/v1/responses", {"model": "gpt-4o", "input": text})
    assert output_text(summary.json) == (
        "We ship freight for the energy sector, not media. Second paragraph here."
    )
    labels = api.post(
        "/v1/responses",
        {"model": "gpt-4o", "instructions": "Labels: media, freight", "input": text},
    )
    assert output_text(labels.json) == "freight"


def test_bad_responses_requests_are_clear_400s_and_store_nothing(api: OpenAIClient) -> None:
    cases: list[tuple[dict[str, Any], int, str | None]] = [
        ({"input": "x"}, 400, "model"),
        ({"model": "gpt-0", "input": "x"}, 404, "model"),
        ({"model": "gpt-4o", "input": user({"type": "text", "text": "x"})}, 400,
         "input[0].content[0].type"),
        ({"model": "gpt-4o", "input": user({"type": "input_file", "file_id": "file-nope"})},
         404, "input[0].content[0].file_id"),
        ({"model": "gpt-4o", "input": user({"type": "input_file", "filename": "a.txt",
          "file_data": "not a data url"})}, 400, "input[0].content[0].file_data"),
        ({"model": "gpt-4o", "input": "x", "text": schema_format({"type": "object",
          "properties": {"a": {"type": "string"}}})}, 400, "text.format.schema"),
        ({"model": "gpt-4o", "input": "x", "text": {"format": {"type": "json_object"}}},
         400, "input"),
        ({"model": "gpt-4o", "input": "x", "previous_response_id": "resp_nope"}, 404,
         "previous_response_id"),
        ({"model": "gpt-4o", "input": "x", "bogus": 1}, 400, "bogus"),
        ({"model": "gpt-4o", "input": 5}, 400, "input"),
    ]  # fmt: skip
    for payload, status, param in cases:
        reply = api.post("/v1/responses", payload)
        assert reply.status == status, (payload, reply.raw)
        assert reply.json["error"]["param"] == param, reply.raw
    assert not api.world.table(RESPONSES)


def test_store_false_is_not_kept(api: OpenAIClient) -> None:
    reply = api.post("/v1/responses", {"model": "gpt-4o", "input": "Hi.", "store": False})
    assert reply.status == 200 and reply.json["store"] is False
    assert api.send("GET", f"/v1/responses/{reply.json['id']}").status == 404


def test_input_items_paginate_and_delete(api: OpenAIClient) -> None:
    messages = [{"role": "user", "content": f"Message {i}."} for i in range(5)]
    rid = api.post("/v1/responses", {"model": "gpt-4o", "input": messages}).json["id"]
    first = api.send("GET", f"/v1/responses/{rid}/input_items?limit=2&order=asc").json
    assert [d["content"][0]["text"] for d in first["data"]] == ["Message 0.", "Message 1."]
    assert first["has_more"] is True
    after = api.send(
        "GET", f"/v1/responses/{rid}/input_items?limit=10&order=asc&after={first['last_id']}"
    ).json
    assert len(after["data"]) == 3 and after["has_more"] is False
    assert api.send("GET", f"/v1/responses/{rid}/input_items?limit=0").status == 400
    assert api.send("DELETE", f"/v1/responses/{rid}").json["deleted"] is True
    assert api.send("GET", f"/v1/responses/{rid}").status == 404


def test_chat_completion_with_json_schema(api: OpenAIClient) -> None:
    reply = api.post(
        "/v1/chat/completions",
        {
            "model": "gpt-4o-mini",
            "messages": [
                {"role": "system", "content": "Extract."},
                {"role": "user", "content": [{"type": "text", "text": "Age: 51\nCity: Oslo"}]},
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "p", "schema": SCHEMA, "strict": True},
            },
        },
    )
    assert reply.status == 200, reply.raw
    body = reply.json
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["choices"][0]["message"]["content"] == '{"age": 51, "city": "Oslo"}'
    assert body["choices"][0]["finish_reason"] == "stop"
    bad = api.post(
        "/v1/chat/completions",
        {"model": "gpt-4o", "messages": [{"role": "user", "content": [{"type": "input_text"}]}]},
    )
    assert bad.status == 400 and bad.json["error"]["param"] == "messages[0].content[0].type"


def test_models(api: OpenAIClient) -> None:
    ids = [m["id"] for m in api.send("GET", "/v1/models").json["data"]]
    assert "gpt-4o" in ids and "gpt-5" in ids
    assert api.send("GET", "/v1/models/gpt-4.1").json["object"] == "model"
    missing = api.send("GET", "/v1/models/gpt-0")
    assert missing.status == 404 and missing.json["error"]["code"] == "model_not_found"
